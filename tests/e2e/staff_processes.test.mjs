// The staff's planning of participation, in a real Chromium with JavaScript turned off, against
// a real server: a process owner (made with the CLI) signs in, plans a process through the
// guided form (a refused form first: the error summary, the text kept, nothing stored), adds
// a venue, a stakeholder (shown in the table and in the 2×2 grid) and an event at the venue,
// and opens the process for inputs; a refused status change says why and changes nothing;
// another process owner gets 403 on every page of it; the advisor sees every process and
// edits the municipality's ladder. The JSON of each page is its view-model. axe-core judges
// every page state, and the Nu Html Checker all of them at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, WAIT, withPage, navigate, open, osloDay } from './lib/server.mjs';
import { judgeInto, assertValidHtml } from './lib/check.mjs';
import { addUser, signIn, sessionOf, csrfOf } from './lib/staff.mjs';

const T = { timeout: 120000 };
const OWNER = { email: 'pia.prosess@moss.kommune.no', name: 'Pia Prosess', password: 'pia har et langt passord' };
const OTHER = { email: 'otto.annen@moss.kommune.no', name: 'Otto Annen', password: 'otto har et langt passord' };
const ADVISOR = { email: 'rita.radgiver@moss.kommune.no', name: 'Rita Rådgiver', password: 'rita har et langt passord' };
const TITLE = 'Ny park på Jeløy';
const SLUG = 'ny-park-pa-jeloy';

let server;
let browser;
const docs = []; // { name, html }: every page state, for one run of vnu at the end
const judge = judgeInto(docs, { jsOff: true }); // every page here is loaded with JavaScript off
const NO_JS = { javaScriptEnabled: false };

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  for (const [user, role] of [[OWNER, 'prosesseier'], [OTHER, 'prosesseier'], [ADVISOR, 'radgiver']]) addUser(server, user, role);
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await server?.stop(); // throws on a non-zero exit status (a leak under ASan)
}, { timeout: 60000 });

// ---------------------------------------------------------------- helpers

/** A request with the session cookie: JSON for GET, a form for POST. */
async function request(method, p, { session, form } = {}) {
  const headers = { Accept: 'application/json', Cookie: `pv_session=${session}` };
  let body;
  if (form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  }
  const res = await fetch(server.url + p, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(WAIT) });
  const text = await res.text();
  return { status: res.status, json: /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined };
}

// ---------------------------------------------------------------- 1. planning a process

test('a process owner plans a process through the guided form, with JavaScript off', T, async () => {
  await withPage(browser, NO_JS, async (page, context) => {
    await signIn(server, page, OWNER);
    assert.equal(await page.locator('a[href="/arbeid/prosesser/ny"]').count(), 1, 'the workspace links to the form');
    assert.equal(await page.locator('a[href="/arbeid/medvirkningstrapp"]').count(), 0, 'the ladder is for the advisor');
    let res = await open(server, page, '/arbeid/prosesser/ny');
    await judge(page, 'new process form', res);
    const legends = await page.locator('form.staff-form > fieldset > legend').allInnerTexts();
    assert.deepEqual(legends, ['1. Hvorfor?', '2. Hvem?', '3. Når?', '4. Hvordan?'], 'the questions of 002, in order');
    assert.equal(await page.locator('input[name="target_groups"]').count(), 6, 'the five councils and brukerråd');
    assert.equal(await page.locator('input[name="ladder_step_id"]').count(), 5, 'the five default steps');
    assert.match(await page.locator('#f-step-konsultasjon-hint').innerText(), /Alle innspill blir vurdert/);

    // refused: no title; the text is kept and nothing is stored
    await page.fill('#f-purpose', 'Vi vil høre hva folk ønsker seg i parken.');
    await page.check('#f-target_groups-1');
    res = await navigate(page, () => page.getByRole('button', { name: 'Opprett prosessen' }).click());
    assert.equal(res.status(), 422);
    assert.equal(await page.locator('.ds-error-summary a').first().getAttribute('href'), '#f-title');
    assert.equal(await page.getAttribute('#f-title', 'aria-invalid'), 'true');
    assert.match(await page.locator('#f-title-feil').innerText(), /Skriv en tittel/);
    assert.equal(await page.inputValue('#f-purpose'), 'Vi vil høre hva folk ønsker seg i parken.');
    assert.ok(await page.isChecked('#f-target_groups-1'), 'the ticked council stays ticked');
    await judge(page, 'new process form with errors', res);
    const session = await sessionOf(server, context);
    assert.equal((await request('GET', '/arbeid/prosesser', { session })).json.count, 0, 'nothing was stored');

    // the whole form
    await page.fill('#f-title', TITLE);
    await page.fill('#f-can_influence', 'Hva parken skal ha: lek, benker, beplantning.');
    await page.fill('#f-cannot_influence', 'Hvor parken ligger.');
    await page.selectOption('#f-plan_id', 'leve-hele-livet');
    await page.getByLabel('Ungdomsråd').check();
    await page.fill('#f-other_groups', 'Elevrådet på Jeløy skole\nVelforeningen');
    await page.fill('#f-opens_on', osloDay(0));
    await page.fill('#f-deadline_on', osloDay(30));
    await page.fill('#f-phase-name-1', 'Idéfase');
    await page.fill('#f-phase-start-1', osloDay(0));
    await page.fill('#f-phase-end-1', osloDay(30));
    await page.check('#f-step-dialog');
    await page.getByLabel('gjestebud', { exact: true }).check();
    await page.fill('#f-other_methods', 'Vandring i parken');
    await page.fill('#f-themes', 'Lek\nGrønt\nSikkerhet');
    await page.fill('#f-areas', 'Jeløy\nEt annet sted');
    res = await navigate(page, () => page.getByRole('button', { name: 'Opprett prosessen' }).click());
    assert.equal(new URL(page.url()).pathname, `/arbeid/prosesser/${SLUG}`);
    assert.match(await page.locator('.ds-alert').first().innerText(), /opprettet/);
    await judge(page, 'process form after creating', res);
    for (const [href, text] of [[`/arbeid/prosesser/${SLUG}/innspill`, 'Innspill'], [`/arbeid/prosesser/${SLUG}/innspill/ny`, 'Registrer innspill'], [`/medvirkning/${SLUG}`, 'Se den offentlige siden']])
      assert.equal(await page.locator(`a[href="${href}"]`).innerText(), text);

    // the page's JSON is its view-model, with what was typed
    const vm = (await request('GET', `/arbeid/prosesser/${SLUG}`, { session })).json;
    assert.equal(vm.process.title, TITLE);
    assert.equal(vm.process.status, 'planlagt');
    assert.deepEqual(vm.councils.filter((c) => c.checked).map((c) => c.value), ['Eldreråd', 'Ungdomsråd']);
    assert.equal(vm.values.other_groups, 'Elevrådet på Jeløy skole\nVelforeningen');
    assert.equal(vm.values.themes, 'Lek\nGrønt\nSikkerhet');
    assert.equal(vm.values.deadline_on, osloDay(30));
    assert.equal(vm.steps.find((s) => s.checked).id, 'dialog');
    assert.ok(vm.methods.find((m) => m.value === 'gjestebud').checked);
    assert.equal(vm.values.other_methods, 'Vandring i parken');
    assert.equal(vm.phases[0].name, 'Idéfase');
    assert.deepEqual(vm.process.next_statuses.map((s) => s.value), ['åpen', 'avsluttet']);

    // the running-process fields: hours with a decimal comma, cost with a space
    await page.fill('#f-communication_plan', 'Plakater på Jeløy, sosiale medier.');
    await page.fill('#f-hours_spent', '12,5');
    await page.fill('#f-cost_spent', '25 000');
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre', exact: true }).click());
    assert.equal(new URL(page.url()).search, '?lagret=1');
    assert.equal(await page.inputValue('#f-hours_spent'), '12,5');
    assert.equal(await page.inputValue('#f-cost_spent'), '25000');
    await page.fill('#f-cost_spent', 'mye');
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre', exact: true }).click());
    assert.equal(res.status(), 422);
    assert.match(await page.locator('#f-cost_spent-feil').innerText(), /hele kroner/);
    assert.equal(await page.inputValue('#f-cost_spent'), 'mye');
    await judge(page, 'process form with errors', res);
  });
});

test('a venue, a stakeholder and an event at the venue; then the process opens for inputs', T, async () => {
  await withPage(browser, NO_JS, async (page, context) => {
    await signIn(server, page, OWNER);
    let res = await open(server, page, '/arbeid/lokaler');
    await judge(page, 'venues', res);
    await page.fill('#f-name', 'Jeløy bydelshus');
    await page.fill('#f-address', 'Jeløy 1');
    await page.fill('#f-capacity', 'åtti');
    res = await navigate(page, () => page.getByRole('button', { name: 'Legg til' }).click());
    assert.equal(res.status(), 422);
    assert.equal(await page.inputValue('#f-name'), 'Jeløy bydelshus');
    await judge(page, 'venues with errors', res);
    await page.fill('#f-capacity', '80');
    await page.fill('#f-universal_design', 'Trinnfri inngang, teleslynge');
    await navigate(page, () => page.getByRole('button', { name: 'Legg til' }).click());
    assert.equal(await page.locator('table.staff-table tbody th', { hasText: 'Jeløy bydelshus' }).count(), 1);

    res = await open(server, page, `/arbeid/prosesser/${SLUG}/interessenter`);
    await judge(page, 'stakeholders, empty', res);
    await page.fill('#f-name', 'Eldrerådet');
    await page.selectOption('#f-interest', 'høy');
    await page.selectOption('#f-influence', 'høy');
    await page.fill('#f-how_reached', 'Sak i rådets møte');
    await navigate(page, () => page.getByRole('button', { name: 'Legg til' }).click());
    await page.fill('#f-name', 'Naboene');
    await page.selectOption('#f-interest', 'høy');
    res = await navigate(page, () => page.getByRole('button', { name: 'Legg til' }).click());
    assert.equal(res.status(), 422, 'influence is required');
    assert.equal(await page.inputValue('#f-name'), 'Naboene');
    await judge(page, 'stakeholders with errors', res);
    await page.selectOption('#f-influence', 'lav');
    res = await navigate(page, () => page.getByRole('button', { name: 'Legg til' }).click());
    assert.equal(await page.locator('table.staff-table tbody tr').count(), 2);
    const grid = page.locator('table.staff-grid');
    const cell = (row, col) => grid.locator(`tbody tr:nth-child(${row}) td:nth-child(${col + 1})`);
    assert.match(await cell(1, 2).innerText(), /Involver tett\s+Eldrerådet/);
    assert.match(await cell(2, 2).innerText(), /Hold godt informert\s+Naboene/);
    assert.match(await cell(1, 1).innerText(), /Hold tilfreds\s+Ingen/);
    assert.match(await cell(2, 1).innerText(), /Følg med\s+Ingen/);
    await judge(page, 'stakeholders with the grid', res);
    // reached: edit the row
    await navigate(page, () => page.getByRole('link', { name: /Rediger\W+Naboene/ }).click());
    await page.check('#f-reached');
    await navigate(page, () => page.getByRole('button', { name: 'Lagre' }).click());
    assert.match(await page.locator('table.staff-table tbody tr', { hasText: 'Naboene' }).innerText(), /Ja/);

    res = await open(server, page, `/arbeid/prosesser/${SLUG}/arrangementer`);
    await judge(page, 'events, empty', res);
    await page.selectOption('#f-kind', 'workshop');
    await page.fill('#f-title', 'Parkverksted');
    await page.fill('#f-date', osloDay(10));
    await page.fill('#f-starts', '18:00');
    await page.fill('#f-ends', '17:00');
    await page.selectOption('#f-venue_id', { label: 'Jeløy bydelshus' });
    res = await navigate(page, () => page.getByRole('button', { name: 'Legg til' }).click());
    assert.equal(res.status(), 422);
    assert.match(await page.locator('#f-ends-feil').innerText(), /slutte før/);
    await judge(page, 'events with errors', res);
    await page.fill('#f-ends', '20:30');
    await page.fill('#f-method', 'workshop');
    await page.fill('#f-accessibility', 'Tolk ved behov');
    res = await navigate(page, () => page.getByRole('button', { name: 'Legg til' }).click());
    const row = await page.locator('table.staff-table tbody tr').innerText();
    assert.match(row, /Parkverksted/);
    assert.match(row, /18:00–20:30/);
    assert.match(row, /Jeløy bydelshus, Jeløy 1/);
    await judge(page, 'events with an event', res);

    // a refused status change says why and changes nothing
    const session = await sessionOf(server, context);
    const csrf = await csrfOf(page);
    const refused = await request('POST', `/arbeid/prosesser/${SLUG}/status`, { session, form: { csrf, status: 'tilbakemeldt' } });
    assert.equal(refused.status, 422);
    assert.match(refused.json.err.status, /kan ikke gå direkte/);
    assert.equal((await request('GET', `/arbeid/prosesser/${SLUG}`, { session })).json.process.status, 'planlagt');

    res = await open(server, page, `/arbeid/prosesser/${SLUG}`);
    res = await navigate(page, () => page.getByRole('button', { name: 'Åpen for innspill' }).click());
    assert.equal(new URL(page.url()).search, '?status=1');
    assert.match(await page.locator('#f-status').innerText(), /Åpen for innspill/);
    await judge(page, 'process form after opening', res);
    const vm = (await request('GET', `/arbeid/prosesser/${SLUG}`, { session })).json;
    assert.equal(vm.process.status, 'åpen');
    assert.deepEqual(vm.process.next_statuses.map((s) => s.value), ['til behandling']);
  });
});

// ---------------------------------------------------------------- 2. who may see it

test('another process owner gets 403 on every page of the process', T, async () => {
  await withPage(browser, NO_JS, async (page, context) => {
    await signIn(server, page, OTHER);
    for (const p of ['', '/interessenter', '/arrangementer', '/medlemmer'])
      await open(server, page, `/arbeid/prosesser/${SLUG}${p}`, 403);
    const res = await open(server, page, '/arbeid/prosesser');
    assert.equal(await page.locator('table.staff-table').count(), 0, 'not in their list');
    await judge(page, 'process list, empty', res);
    await open(server, page, '/arbeid/medvirkningstrapp', 403);
    const session = await sessionOf(server, context);
    const csrf = await csrfOf(page);
    const post = await request('POST', `/arbeid/prosesser/${SLUG}/status`, { session, form: { csrf, status: 'til behandling' } });
    assert.equal(post.status, 403);
  });
  // the owner adds Otto as a member; then he gets in
  await withPage(browser, NO_JS, async (page) => {
    await signIn(server, page, OWNER);
    let res = await open(server, page, `/arbeid/prosesser/${SLUG}/medlemmer`);
    await judge(page, 'members', res);
    await page.selectOption('#f-user_id', { label: `${OTHER.name} (${OTHER.email})` });
    res = await navigate(page, () => page.getByRole('button', { name: 'Legg til' }).click());
    assert.match(await page.locator('ul.staff-members').innerText(), /Otto Annen/);
    await judge(page, 'members with a member', res);
  });
  await withPage(browser, NO_JS, async (page) => {
    await signIn(server, page, OTHER);
    await open(server, page, `/arbeid/prosesser/${SLUG}`);
    assert.equal(await page.locator('h1').innerText(), TITLE);
  });
});

// ---------------------------------------------------------------- 3. the advisor

test('the advisor sees every process and edits the ladder', T, async () => {
  await withPage(browser, NO_JS, async (page, context) => {
    await signIn(server, page, ADVISOR);
    let res = await open(server, page, '/arbeid/prosesser');
    const titles = await page.locator('table.staff-table tbody th').allInnerTexts();
    assert.ok(titles.includes(TITLE) && titles.includes('Samskaping om Leve hele livet'), titles.join(', '));
    await judge(page, 'process list', res);
    res = await open(server, page, '/arbeid/medvirkningstrapp');
    await judge(page, 'ladder', res);
    await page.fill('#trinn-dialog-explanation', '');
    res = await navigate(page, () => page.getByRole('button', { name: /Lagre\W+Dialog/ }).click());
    assert.equal(res.status(), 422);
    assert.equal(await page.locator('.ds-error-summary a').getAttribute('href'), '#trinn-dialog-explanation');
    await judge(page, 'ladder with errors', res);
    await page.fill('#trinn-dialog-explanation', 'Vi snakker sammen og lærer av hverandre.');
    await navigate(page, () => page.getByRole('button', { name: /Lagre\W+Dialog/ }).click());
    await page.fill('#nytt-trinn-name', 'Innbyggerstyring');
    await page.fill('#nytt-trinn-explanation', 'Innbyggerne bestemmer selv.');
    await page.fill('#nytt-trinn-methods', 'innbyggerbudsjett');
    await navigate(page, () => page.getByRole('button', { name: 'Legg til', exact: true }).click());
    await navigate(page, () => page.getByRole('button', { name: /Flytt ned\W+Innbyggerstyring/ }).click());
    const session = await sessionOf(server, context);
    const ladder = (await request('GET', '/arbeid/medvirkningstrapp', { session })).json.steps;
    assert.deepEqual(ladder.map((s) => s.id), ['informasjon', 'konsultasjon', 'dialog', 'medbestemmelse', 'innbyggerstyring', 'samskaping']);
    assert.equal(ladder[2].explanation, 'Vi snakker sammen og lærer av hverandre.');
    // the new step is offered when a process is planned
    await open(server, page, '/arbeid/prosesser/ny');
    assert.equal(await page.locator('#f-step-innbyggerstyring').count(), 1);
  });
});

test('the Nu Html Checker finds no error on any page state', { timeout: 180000 }, async () => {
  assert.ok(docs.length >= 15, `only ${docs.length} page states were collected`);
  await assertValidHtml(docs);
});
