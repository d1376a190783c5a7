// The tertial reports, in a real Chromium (JavaScript off) against a real server: a member of
// a unit (role leser) sees the periods with what is missing, reports T1 for the two measures
// of the unit in one submit and sees them reported; a row at fault shows its error next to
// the field and in the summary, keeps every value and saves nothing; a planner filters by
// unit, is refused closing without the confirmation, closes the period, and the form becomes
// read-only (a POST to it answers 409). The JSON API lists reports of a period and creates
// one (201 + Location, 400 with field errors, 409 in a closed period). axe-core and the Nu
// Html Checker judge every page state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, launchBrowser, cli, WAIT, withPage, navigate, open, osloDay } from './lib/server.mjs';
import { assertDeclared } from './lib/openapi.mjs';
import { judgeInto, assertValidHtml } from './lib/check.mjs';
import { addUser, signIn, sessionOf, csrfOf } from './lib/staff.mjs';

const T = { timeout: 120000 };
const NO_JS = { javaScriptEnabled: false };
const MEMBER = { email: 'ina.innovasjon@moss.kommune.no', name: 'Ina Innovasjon', password: 'ina har et langt passord' };
const PLANNER = { email: 'pia.planlegger@moss.kommune.no', name: 'Pia Planlegger', password: 'pia har et langt passord' };
const UNIT = 'enhet-innovasjon';
const YEAR = osloDay().slice(0, 4);
const T1 = `${YEAR}-t1`;
const T2 = `${YEAR}-t2`;


let server;
let browser;
let measures; // the two 'tiltak' of UNIT, by id
const docs = [];
const judge = judgeInto(docs, { noScript: true, jsOff: true });

function sql(query) {
  return execFileSync('sqlite3', [server.db, query], { encoding: 'utf8' }).trim();
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  addUser(server, MEMBER, 'leser');
  addUser(server, PLANNER, 'planlegger');
  const units = cli(['user', 'units', '--db', server.db, MEMBER.email, UNIT]);
  assert.equal(units.status, 0, units.stderr);
  measures = sql(`SELECT m.id FROM measure m JOIN measure_unit mu ON mu.measure_id = m.id
    WHERE mu.unit_id = '${UNIT}' AND m.kind = 'tiltak' ORDER BY m.id`).split('\n');
  assert.equal(measures.length, 2, `${UNIT} has two measures to report on`);
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await server?.stop();
}, { timeout: 60000 });

/** A request beside the browser with the session (and CSRF token for writes). */
async function request(method, p, { session, csrf, json, form } = {}) {
  const headers = { Accept: json !== undefined || p.startsWith('/api/') ? 'application/json' : 'text/html' };
  if (session) headers.Cookie = `pv_session=${session}`;
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    if (csrf) headers['X-CSRF-Token'] = csrf;
    body = JSON.stringify(json);
  } else if (form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams({ csrf, ...form }).toString();
  }
  const res = await fetch(server.url + p, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(WAIT) });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, headers: res.headers, text, json: /json/.test(type) ? JSON.parse(text) : undefined };
}

const reportOf = (id, period) => sql(`SELECT status || '|' || coalesce(progress, '') || '|' || coalesce(comment, '')
  FROM measure_report WHERE measure_id = '${id}' AND year || '-' || period = '${period}'`);

/** The fieldset of a measure in the form. */
const rowOf = (page, id) => page.locator('fieldset.report-row').filter({ has: page.locator(`legend a[href="/tiltak/${id}"]`) });

test('a unit member sees the periods and reports two measures in one submit', T, async () => {
  await withPage(browser, NO_JS, async (page) => {
    await signIn(server, page, MEMBER);
    let res = await open(server, page, '/arbeid/rapportering');
    const t1 = page.locator('.report-periods li').filter({ has: page.locator(`a[href="/arbeid/rapportering/${T1}"]`) });
    assert.match(await t1.innerText(), /0 av 2 rapportert/);
    assert.match(await t1.innerText(), /2 mangler rapport/);
    await judge(page, 'periods', res);

    res = await open(server, page, `/arbeid/rapportering/${T1}`);
    assert.equal(await page.locator('fieldset.report-row').count(), 2);
    assert.equal(await page.getByText('Mangler rapport').count(), 2);
    assert.equal(await page.getByRole('button', { name: 'Lukk perioden og publiser rapportene' }).count(), 0, 'only a planner closes');
    await judge(page, 'report form', res);

    const [a, b] = measures;
    await rowOf(page, a).getByLabel('I rute').check();
    await rowOf(page, a).getByLabel('Fremdrift i prosent (valgfritt)').fill('40');
    await rowOf(page, a).getByLabel('Kommentar').fill('Godt i gang med piloten.');
    await rowOf(page, b).getByLabel('Ikke startet').check();
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre rapportene' }).click());
    assert.equal(new URL(page.url()).search, '?lagret=2');
    assert.match(await page.locator('.ds-alert[data-color="success"]').innerText(), /Antall lagret: 2/);
    assert.equal(await page.getByText('Mangler rapport').count(), 0);
    assert.match(await rowOf(page, a).innerText(), /Rapportert: I rute \(Ina Innovasjon/);
    assert.equal(await rowOf(page, a).getByLabel('Fremdrift i prosent (valgfritt)').inputValue(), '40');
    await judge(page, 'report form after saving', res);
    assert.equal(reportOf(a, T1), 'i rute|40|Godt i gang med piloten.');
    assert.equal(reportOf(b, T1), 'ikke startet||');
    assert.equal(sql(`SELECT count(*) FROM audit_event WHERE action = 'report.save'`), '2');

    // untouched rows are not saved again
    await navigate(page, () => page.getByRole('button', { name: 'Lagre rapportene' }).click());
    assert.equal(new URL(page.url()).search, '?lagret=0');
    assert.equal(sql(`SELECT count(*) FROM audit_event WHERE action = 'report.save'`), '2');
  });
});

test('a row at fault shows its error, keeps every value, and nothing is saved', T, async () => {
  await withPage(browser, NO_JS, async (page) => {
    await signIn(server, page, MEMBER);
    await open(server, page, `/arbeid/rapportering/${T1}`);
    const [a, b] = measures;
    await rowOf(page, a).getByLabel('Kommentar').fill('Endret kommentar som ikke skal lagres.');
    await rowOf(page, b).getByLabel('Fullført').check();
    await rowOf(page, b).getByLabel('Fremdrift i prosent (valgfritt)').fill('50');
    const res = await navigate(page, () => page.getByRole('button', { name: 'Lagre rapportene' }).click());
    assert.equal(res.status(), 422);
    const summary = page.locator('.ds-error-summary');
    const href = await summary.locator('a').first().getAttribute('href');
    const fieldId = href.slice(1);
    assert.equal(await rowOf(page, b).locator(`#${fieldId}`).count(), 1, 'the summary links to the field of the row at fault');
    assert.equal(await page.locator(`#${fieldId}`).getAttribute('aria-invalid'), 'true');
    assert.ok(await rowOf(page, b).locator('.ds-validation-message').isVisible());
    assert.equal(await rowOf(page, a).locator('.ds-validation-message').count(), 0);
    assert.equal(await rowOf(page, a).getByLabel('Kommentar').inputValue(), 'Endret kommentar som ikke skal lagres.');
    assert.ok(await rowOf(page, b).getByLabel('Fullført').isChecked());
    assert.equal(await rowOf(page, b).getByLabel('Fremdrift i prosent (valgfritt)').inputValue(), '50');
    await judge(page, 'report form with an error', res);
    assert.equal(reportOf(a, T1), 'i rute|40|Godt i gang med piloten.');
    assert.equal(reportOf(b, T1), 'ikke startet||');
  });
});

test('a planner filters by unit, must confirm, closes the period, and the form is read-only', T, async () => {
  await withPage(browser, NO_JS, async (page, context) => {
    await signIn(server, page, PLANNER);
    let res = await open(server, page, `/arbeid/rapportering/${T1}?enhet=${UNIT}`);
    assert.equal(await page.locator('#f-enhet').inputValue(), UNIT);
    assert.equal(await page.locator('fieldset.report-row').count(), 2);
    await judge(page, 'report form of a planner, filtered', res);

    res = await navigate(page, () => page.getByRole('button', { name: 'Lukk perioden og publiser rapportene' }).click());
    assert.equal(res.status(), 422);
    assert.match(await page.locator('#f-bekreft-feil').innerText(), /Kryss av/);
    await judge(page, 'closing without confirmation', res);
    assert.equal(sql(`SELECT count(*) FROM report_period`), '0');

    await page.getByLabel('Jeg har sjekket rapportene').check();
    res = await navigate(page, () => page.getByRole('button', { name: 'Lukk perioden og publiser rapportene' }).click());
    assert.equal(new URL(page.url()).search, '?lukket=1');
    assert.equal(await page.locator('form.report-form').count(), 0, 'no inputs in a closed period');
    assert.equal(await page.locator('table.report-table tbody tr').count() > 0, true);
    assert.match(await page.locator('main').innerText(), /Perioden er lukket/);
    await judge(page, 'a closed period', res);
    assert.equal(sql(`SELECT count(*) FROM audit_event WHERE action = 'period.close' AND object_id = '${T1}'`), '1');

    // a POST to the closed period: 409 with a clear message; nothing changes
    const session = await sessionOf(server, context);
    const csrf = await csrfOf(page);
    const post = await request('POST', `/arbeid/rapportering/${T1}`, { session, csrf, form: { [`status-${measures[0]}`]: 'forsinket' } });
    assert.equal(post.status, 409);
    assert.match(post.text, /Perioden er lukket eller ikke åpnet ennå/);
    assert.equal(reportOf(measures[0], T1), 'i rute|40|Godt i gang med piloten.');
  });
});

test('a member sees the closed period read-only', T, async () => {
  await withPage(browser, NO_JS, async (page) => {
    await signIn(server, page, MEMBER);
    const res = await open(server, page, `/arbeid/rapportering/${T1}`);
    assert.equal(await page.locator('form.report-form').count(), 0);
    const row = page.locator('table.report-table tbody tr').filter({ has: page.locator(`a[href="/tiltak/${measures[0]}"]`) });
    assert.match(await row.innerText(), /I rute\s+40 %\s+Godt i gang med piloten\./);
    await judge(page, 'a closed period for a member', res);
    await open(server, page, '/arbeid/rapportering');
    assert.match(await page.locator('.report-periods').innerText(), /lukket og publisert/);
  });
});

test('the API lists the reports of a period and creates one', T, async () => {
  const other = sql(`SELECT m.id FROM measure m JOIN measure_unit mu ON mu.measure_id = m.id
    WHERE mu.unit_id = 'helse-og-mestring' AND m.kind = 'tiltak' LIMIT 1`);
  await withPage(browser, NO_JS, async (page, context) => {
    await signIn(server, page, MEMBER);
    const session = await sessionOf(server, context);
    const csrf = await csrfOf(page);
    // a measure of another unit: the route refuses it
    const res = await request('POST', `/api/v1/measures/${other}/reports`, { session, csrf, json: { period: T2, status: 'i rute' } });
    assert.equal(res.status, 403);
    assertDeclared('/api/v1/measures/{id}/reports', 'post', res);
    // a measure of their own unit: the member reports it (the status of T1 kept, so that
    // the change rule has nothing to say)
    const own = measures[1];
    const status = reportOf(own, T1).split('|')[0];
    const mine = await request('POST', `/api/v1/measures/${own}/reports`, { session, csrf, json: { period: T2, status } });
    assert.equal(mine.status, 201, mine.text);
    assertDeclared('/api/v1/measures/{id}/reports', 'post', mine);
    assert.equal(reportOf(own, T2).split('|')[0], status);
  });
  await withPage(browser, NO_JS, async (page, context) => {
    await signIn(server, page, PLANNER);
    const session = await sessionOf(server, context);
    const csrf = await csrfOf(page);
    const [a] = measures;

    assert.equal((await request('GET', `/api/v1/reports?period=${T1}`)).status, 401);
    let res = await request('GET', `/api/v1/reports?period=${T1}&enhet=${UNIT}`, { session });
    assert.equal(res.status, 200);
    assertDeclared('/api/v1/reports', 'get', res);
    assert.equal(res.json.period, T1);
    assert.equal(res.json.closed, true);
    assert.deepEqual(res.json.reports.map((r) => r.measure_id).sort(), measures);
    res = await request('GET', '/api/v1/reports?period=2026-t4', { session });
    assert.equal(res.status, 400);
    assertDeclared('/api/v1/reports', 'get', res);
    assert.equal(res.json.errors[0].field, 'period');

    res = await request('POST', `/api/v1/measures/${a}/reports`, { session, csrf, json: { period: T2, status: 'forsinket', progress: 45, comment: 'Venter på leverandør.' } });
    assert.equal(res.status, 201, res.text);
    assertDeclared('/api/v1/measures/{id}/reports', 'post', res);
    assert.equal(res.headers.get('location'), `/api/v1/measures/${a}`);
    assert.equal(res.json.report.status, 'forsinket');
    assert.equal(res.json.report.period, T2);
    assert.equal(reportOf(a, T2), 'forsinket|45|Venter på leverandør.');

    res = await request('POST', `/api/v1/measures/${a}/reports`, { session, csrf, json: { period: T2, status: 'ikke startet', progress: 'mye' } });
    assert.equal(res.status, 400);
    assertDeclared('/api/v1/measures/{id}/reports', 'post', res);
    assert.deepEqual(res.json.errors.map((e) => e.field), ['progress']);
    res = await request('POST', `/api/v1/measures/${a}/reports`, { session, csrf, json: { period: T2, status: 'ikke startet' } });
    assert.equal(res.status, 400, 'once started, not back to «ikke startet»');
    assert.equal(res.json.errors[0].field, 'status');
    assert.equal(reportOf(a, T2), 'forsinket|45|Venter på leverandør.');

    res = await request('POST', `/api/v1/measures/${a}/reports`, { session, csrf, json: { period: T1, status: 'forsinket' } });
    assert.equal(res.status, 409);
    assertDeclared('/api/v1/measures/{id}/reports', 'post', res);
    assert.match(res.json.detail, /lukket/);

    res = await request('POST', '/api/v1/measures/finnes-ikke/reports', { session, csrf, json: { period: T2, status: 'i rute' } });
    assert.equal(res.status, 404);
  });
});

test('the Nu Html Checker finds no error on any page state', { timeout: 180000 }, async () => {
  assert.ok(docs.length >= 8, `only ${docs.length} page states were collected`);
  await assertValidHtml(docs);
});
