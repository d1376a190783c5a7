// Measures (tiltak) in a real Chromium against a real server: the public page of a measure
// (plan › focus area, units, costs with their sum, status history, goals) passes axe-core and
// the Nu Html Checker, and its JSON holds the costs; the plan page links every measure to it.
// A planner edits a measure's cost («1 250») and deadline in the form without JavaScript; a
// refused form keeps what was typed and says what is wrong next to the field; the public page
// then shows the new cost and marks the measure «forsinket» once its deadline has passed. A
// `leser` who belongs to a unit edits that unit's measure and gets 403 on another's, until an
// admin adds the other unit on the user page. The JSON
// API creates (201 + Location), changes only what is sent (PATCH), and refuses bad input (422)
// and a body that is not JSON (400); its answers match docs/api/openapi.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, WAIT, withPage, navigate, open, osloDay, cli } from './lib/server.mjs';
import { assertDeclared } from './lib/openapi.mjs';
import { judgeInto, assertValidHtml } from './lib/check.mjs';
import { addUser, signIn, sessionOf, csrfOf } from './lib/staff.mjs';

const T = { timeout: 120000 };
const PLANNER = { email: 'pia.planlegger@moss.kommune.no', name: 'Pia Planlegger', password: 'pia har et langt passord' };
const MEMBER = { email: 'mona.pmt@moss.kommune.no', name: 'Mona PMT', password: 'mona har et langt passord' };
const ADMIN = { email: 'ada.admin@moss.kommune.no', name: 'Ada Admin', password: 'ada har et langt passord' };
const PLAN = 'leve-hele-livet';
const PMT_MEASURE = 'lhl-aldersvennlig-t04'; // PMT is responsible (data/moss/units.json)
const OTHER_MEASURE = 'lhl-aldersvennlig-t01'; // Enhet kommunikasjon

let server;
let browser;
let memberId;
const docs = [];
const judge = judgeInto(docs, { noScript: true });

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  addUser(server, PLANNER, 'planlegger');
  memberId = addUser(server, MEMBER, 'leser');
  addUser(server, ADMIN, 'admin');
  const res = cli(['user', 'units', '--db', server.db, MEMBER.email, 'plan-miljo-og-teknikk']);
  assert.equal(res.status, 0, res.stderr);
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await server?.stop();
}, { timeout: 60000 });

async function api(method, p, { session, csrf, body, raw } = {}) {
  const headers = { Accept: 'application/json' };
  if (session) headers.Cookie = `pv_session=${session}`;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  if (body !== undefined || raw !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(server.url + p, { method, headers, redirect: 'manual', body: raw ?? (body === undefined ? undefined : JSON.stringify(body)), signal: AbortSignal.timeout(WAIT) });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, headers: res.headers, json: /json/.test(type) ? JSON.parse(text) : undefined, text };
}


test('the public page of a measure passes axe and Nu, its JSON has the costs, the plan page links to it', T, async () => {
  await withPage(browser, {}, async (page) => {
    let res = await open(server, page, `/planer/${PLAN}`);
    await Promise.all([page.waitForURL((u) => u.pathname === `/tiltak/${PMT_MEASURE}`),
      page.locator(`tr#tiltak-${PMT_MEASURE} a.measure-link`).click()]);
    res = await open(server, page, `/tiltak/${PMT_MEASURE}`);
    await judge(page, 'measure page', res);
    assert.match(await page.locator('.breadcrumbs').innerText(), /Slik vil vi leve hele livet/);
    assert.match(await page.locator('dl.facts').innerText(), /Plan, miljø og teknikk/);
    assert.equal(await page.locator('a[href^="/arbeid/tiltak/"]').count(), 0, 'no edit link for a visitor');
  });
  const res = await api('GET', `/tiltak/${PMT_MEASURE}`);
  assert.equal(res.status, 200);
  const m = res.json.measure;
  assert.ok(m.costs.length > 0, 'the costs are in the JSON');
  for (const c of m.costs) assert.ok(Number.isInteger(c.year) && ('amount' in c) && ('note' in c));
  assert.deepEqual(m.units.map((u) => u.id), ['plan-miljo-og-teknikk']);
  const api1 = await api('GET', `/api/v1/measures/${PMT_MEASURE}`);
  assert.deepEqual(api1.json.measure.costs, m.costs);
  assertDeclared('/api/v1/measures/{id}', 'get', api1);
  const units = await api('GET', '/api/v1/units');
  assertDeclared('/api/v1/units', 'get', units);
  assert.ok(units.json.units.some((u) => u.id === 'enhet-kommunikasjon'));
  const list = await api('GET', '/api/v1/measures?enhet=moss-kommunale-eiendomsselskap');
  assertDeclared('/api/v1/measures', 'get', list);
  assert.equal(list.json.measures.length, 1);
  assert.equal((await api('GET', '/api/v1/measures?plan=Ikke%20en%20id')).status, 400);
  assert.equal((await api('GET', '/tiltak/finnes-ikke')).status, 404);
});

test('a planner edits cost and deadline in the form; a refused form keeps the text; the page shows «forsinket»', T, async () => {
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, PLANNER);
    let res = await open(server, page, `/tiltak/${PMT_MEASURE}`);
    await navigate(page, () => page.locator(`a[href="/arbeid/tiltak/${PMT_MEASURE}"]`).click());
    res = await open(server, page, `/arbeid/tiltak/${PMT_MEASURE}`);
    await judge(page, 'measure form', res);
    const year = await page.inputValue('#f-cost-year-0');
    assert.match(year, /^20\d\d$/);
    // refused: a deadline that is no date; everything typed stays
    await page.fill('#f-deadline', '31.12.2026');
    await page.fill('#f-cost-amount-0', '1 250');
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre' }).click());
    assert.equal(res.status(), 422);
    await judge(page, 'measure form with errors', res);
    assert.match(await page.locator('#f-deadline-feil').innerText(), /åååå-mm-dd/);
    assert.equal(await page.getAttribute('#f-deadline', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#f-deadline'), '31.12.2026');
    assert.equal(await page.inputValue('#f-cost-amount-0'), '1 250');
    assert.equal((await api('GET', `/tiltak/${PMT_MEASURE}`)).json.measure.deadline, null, 'nothing was saved');
    // a cost row with the same year twice is refused next to that row
    await page.fill('#f-deadline', osloDay(-1));
    const dup = await page.locator('input[id^="f-cost-year-"]').count() - 1; // an empty row
    await page.fill(`#f-cost-year-${dup}`, year);
    await page.fill(`#f-cost-amount-${dup}`, '5');
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre' }).click());
    assert.equal(res.status(), 422);
    assert.equal(await page.locator('.ds-error-summary li').count(), 1);
    assert.match(await page.locator('.ds-error-summary').innerText(), /to ganger/);
    const marked = page.locator('input[id^="f-cost-year-"][aria-invalid="true"]');
    assert.equal(await marked.count(), 1, 'the error is next to the row');
    assert.equal(await marked.inputValue(), year);
    const row = (await marked.getAttribute('id')).split('-').pop();
    assert.match(await page.locator(`#f-cost-year-${row}-feil`).innerText(), /to ganger/);
    await page.fill(`#f-cost-year-${row}`, '');
    await page.fill(`#f-cost-amount-${row}`, '');
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre' }).click());
    assert.equal(new URL(page.url()).pathname, `/tiltak/${PMT_MEASURE}`, 'a 303 to the page of the measure: ' + (await page.locator('.ds-error-summary').allInnerTexts()));
    assert.match(await page.locator('table.measure-costs').innerText(), /\b1\u00a0250\b/);
    assert.match(await page.locator('.measure-overdue').innerText(), /forsinket/);
    await judge(page, 'measure page of a planner', res);
    // new measure form
    res = await open(server, page, `/arbeid/planer/${PLAN}/tiltak/ny`);
    await judge(page, 'new measure form', res);
    res = await navigate(page, () => page.getByRole('button', { name: 'Opprett tiltaket' }).click());
    assert.equal(res.status(), 422);
    await judge(page, 'new measure form with errors', res);
    assert.ok(await page.locator('#f-title-feil').isVisible());
    assert.ok(await page.locator('#f-unit_ids-feil').isVisible());
    await page.fill('#f-title', 'Benker langs turveien');
    await page.check('#f-unit_ids-plan-miljo-og-teknikk');
    await page.check('#f-sdgs-11');
    await page.fill('#f-cost-year-0', '2027');
    await page.fill('#f-cost-note-0', 'Innenfor ramme');
    await navigate(page, () => page.getByRole('button', { name: 'Opprett tiltaket' }).click());
    assert.match(new URL(page.url()).pathname, /^\/tiltak\/leve-hele-livet-tiltak-\d+$/);
    assert.match(await page.locator('.measure-sdgs').innerText(), /11\. Bærekraftige byer og lokalsamfunn/);
  });
  const m = (await api('GET', `/tiltak/${PMT_MEASURE}`)).json.measure;
  assert.equal(m.deadline, osloDay(-1));
  assert.equal(m.costs[0].amount, 1250);
  assert.equal(m.overdue, true);
});

test('a leser in a unit edits that unit’s measure and gets 403 on another', T, async () => {
  await withPage(browser, {}, async (page, context) => {
    await signIn(server, page, MEMBER);
    await open(server, page, `/tiltak/${PMT_MEASURE}`);
    assert.equal(await page.locator(`a[href="/arbeid/tiltak/${PMT_MEASURE}"]`).count(), 1, 'an edit link');
    await open(server, page, `/arbeid/tiltak/${PMT_MEASURE}`);
    await page.fill('#f-priority', '2');
    await navigate(page, () => page.getByRole('button', { name: 'Lagre' }).click());
    assert.equal(new URL(page.url()).pathname, `/tiltak/${PMT_MEASURE}`);
    await open(server, page, `/arbeid/tiltak/${OTHER_MEASURE}`, 403);
    await open(server, page, `/arbeid/planer/${PLAN}/tiltak/ny`, 403);
    const session = await sessionOf(server, context);
    const csrf = await csrfOf(page);
    assert.equal((await api('PATCH', `/api/v1/measures/${OTHER_MEASURE}`, { session, csrf, body: { priority: 3 } })).status, 403);
    assert.equal((await api('PATCH', `/api/v1/measures/${PMT_MEASURE}`, { session, csrf, body: { priority: 3 } })).status, 200);
  });
  assert.equal((await api('GET', `/api/v1/measures/${PMT_MEASURE}`)).json.measure.priority, 3);
});

test('an admin gives a user a unit on the user page; the user may then edit that unit’s measures', T, async () => {
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, ADMIN);
    let res = await open(server, page, `/arbeid/brukere/${memberId}`);
    assert.ok(await page.isChecked('#unit-plan-miljo-og-teknikk'), 'the unit set with the CLI');
    await judge(page, 'user page with units', res);
    await page.check('#unit-enhet-kommunikasjon');
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre rollene' }).click());
    assert.equal(new URL(page.url()).search, '?endret=roller');
    assert.ok(await page.isChecked('#unit-enhet-kommunikasjon'));
    assert.ok(await page.isChecked('#role-leser'), 'the roles stay');
  });
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, MEMBER);
    await open(server, page, `/arbeid/tiltak/${OTHER_MEASURE}`);
  });
});

test('the API creates (201), changes only what is sent (PATCH), refuses bad input (422) and a body that is not JSON (400)', T, async () => {
  await withPage(browser, {}, async (page, context) => {
    await signIn(server, page, PLANNER);
    const session = await sessionOf(server, context);
    const csrf = await csrfOf(page);
    const body = { title: 'Kurs i digitale verktøy', unit_ids: ['helse-og-mestring'], costs: [{ year: 2026, amount: 300, note: null }, { year: 2027, amount: null, note: 'Innenfor ramme' }], sdgs: [3], deadline: '2027-06-30' };
    const created = await api('POST', `/api/v1/plans/${PLAN}/measures`, { session, csrf, body });
    assert.equal(created.status, 201, created.text);
    assertDeclared('/api/v1/plans/{slug}/measures', 'post', created);
    const location = created.headers.get('location');
    assert.match(location, /^\/api\/v1\/measures\/leve-hele-livet-tiltak-\d+$/);
    const id = location.split('/').pop();
    assert.deepEqual(created.json.measure.costs.map((c) => [c.year, c.amount, c.note]), [[2026, 300, null], [2027, null, 'Innenfor ramme']]);
    const patched = await api('PATCH', `/api/v1/measures/${id}`, { session, csrf, body: { deadline: '2027-12-31' } });
    assert.equal(patched.status, 200);
    assertDeclared('/api/v1/measures/{id}', 'patch', patched);
    assert.equal(patched.json.measure.deadline, '2027-12-31');
    assert.equal(patched.json.measure.title, body.title, 'what was not sent stays');
    assert.equal(patched.json.measure.costs.length, 2);
    const bad = await api('PATCH', `/api/v1/measures/${id}`, { session, csrf, body: { sdgs: [18], costs: [{ year: 2026, amount: 1 }, { year: 2026, amount: 2 }] } });
    assert.equal(bad.status, 422);
    assertDeclared('/api/v1/measures/{id}', 'patch', bad);
    assert.deepEqual(bad.json.errors.map((e) => e.field).sort(), ['costs.1.year', 'sdgs']);
    const refused = await api('POST', `/api/v1/plans/${PLAN}/measures`, { session, csrf, body: { title: '' } });
    assert.equal(refused.status, 422);
    assertDeclared('/api/v1/plans/{slug}/measures', 'post', refused);
    const notJson = await api('POST', `/api/v1/plans/${PLAN}/measures`, { session, csrf, raw: '{"title": ' });
    assert.equal(notJson.status, 400);
    assert.equal((await api('GET', `/api/v1/measures/${id}`)).json.measure.deadline, '2027-12-31');
    assert.equal((await api('PATCH', `/api/v1/measures/${id}`, { body: { priority: 1 } })).status, 401);
  });
});

test('every page judged is valid HTML (Nu Html Checker)', T, async () => {
  await assertValidHtml(docs);
});
