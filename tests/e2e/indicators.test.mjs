// Indicator readings, in a real Chromium (JavaScript off) against a real server: the public
// indicator page before any reading; a planner's refused reading keeps what was typed and
// shows the errors; readings with a decimal comma and a decimal point are added, and the
// public page shows them in the readings table, in the chart's table and in the SVG chart
// itself, with the status against the path to the target; the goal page and the staff's
// indicator form link to the pages. The JSON API lists readings and adds one (201 + Location,
// 400 with field errors, 401/403 for those who may not). axe-core and the Nu Html Checker
// judge every page state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, launchBrowser, WAIT, withPage, navigate, open } from './lib/server.mjs';
import { assertDeclared } from './lib/openapi.mjs';
import { judgeInto, assertValidHtml } from './lib/check.mjs';
import { addUser, signIn, sessionOf, csrfOf } from './lib/staff.mjs';

const T = { timeout: 120000 };
const NO_JS = { javaScriptEnabled: false };
const PLANNER = { email: 'pia.planlegger@moss.kommune.no', name: 'Pia Planlegger', password: 'pia har et langt passord' };
const READER = { email: 'lars.leser@moss.kommune.no', name: 'Lars Leser', password: 'lars har et langt passord' };
const IND = 'ind-interne-reiser-60-prosent'; // target 60 by 2030, no baseline
const PUBLIC = `/indikatorer/${IND}`;
const STAFF = `/arbeid/indikatorer/${IND}/malinger`;


let server;
let browser;
const docs = [];
const judge = judgeInto(docs, { noScript: true, jsOff: true });

function sql(query) {
  return execFileSync('sqlite3', [server.db, query], { encoding: 'utf8' }).trim();
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  addUser(server, PLANNER, 'planlegger');
  addUser(server, READER, 'leser');
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await server?.stop();
}, { timeout: 60000 });

async function request(method, p, { session, csrf, json } = {}) {
  const headers = { Accept: 'application/json' };
  if (session) headers.Cookie = `pv_session=${session}`;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(server.url + p, { method, headers, body: json === undefined ? undefined : JSON.stringify(json), redirect: 'manual', signal: AbortSignal.timeout(WAIT) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined };
}

test('the public page of an indicator without readings', T, async () => {
  await withPage(browser, NO_JS, async (page) => {
    const res = await open(server, page, PUBLIC);
    assert.match(await page.locator('h1').innerText(), /interne reiser/);
    assert.match(await page.locator('.indicator-track').innerText(), /Ingen målinger ennå/);
    assert.equal(await page.locator('figure.chart svg').count(), 0);
    await judge(page, 'indicator without readings', res);
    await open(server, page, '/indikatorer/finnes-ikke', 404);
    // the goal page links to it
    await open(server, page, '/mal');
    assert.ok(await page.locator(`a[href="${PUBLIC}"]`).count() >= 1, 'the goal page links to the indicator');
  });
});

test('a refused reading keeps what was typed; readings with comma and point are added', T, async () => {
  await withPage(browser, NO_JS, async (page) => {
    await signIn(server, page, PLANNER);
    await open(server, page, `/arbeid/indikatorer/${IND}`);
    assert.equal(await page.locator(`a[href="${STAFF}"]`).count(), 1, 'the indicator form links to the readings');
    let res = await open(server, page, STAFF);
    await judge(page, 'readings form', res);

    await page.getByLabel(/^Verdi/).fill('mange');
    await page.getByLabel('Dato for målingen').fill('2024-02-30');
    await page.getByLabel('Kilde').fill('');
    await page.getByLabel('Merknad (valgfritt)').fill('Skal stå igjen.');
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre målingen' }).click());
    assert.equal(res.status(), 422);
    const hrefs = await page.locator('.ds-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(hrefs, ['#f-value']); // the first problem of the reading
    assert.equal(await page.locator('#f-value').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel(/^Verdi/).inputValue(), 'mange');
    assert.equal(await page.getByLabel('Merknad (valgfritt)').inputValue(), 'Skal stå igjen.');
    await judge(page, 'readings form with an error', res);
    assert.equal(sql(`SELECT count(*) FROM indicator_reading`), '0');

    await page.getByLabel(/^Verdi/).fill('33,5');
    await page.getByLabel('Dato for målingen').fill('2024-06-30');
    await page.getByLabel('Kilde').fill('Reisevaneundersøkelsen');
    await page.getByLabel('Merknad (valgfritt)').fill('');
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre målingen' }).click());
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, `${STAFF}?lagret=1`);
    await page.getByLabel(/^Verdi/).fill('31.2');
    await page.getByLabel('Dato for målingen').fill('2022-06-30');
    await page.getByLabel('Kilde').fill('Reisevaneundersøkelsen');
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre målingen' }).click());
    assert.match(await page.locator('.ds-alert[data-color="success"]').innerText(), /Målingen er lagret/);
    await judge(page, 'readings form after saving', res);
    assert.equal(sql(`SELECT group_concat(value || '@' || date, ' ') FROM (SELECT * FROM indicator_reading ORDER BY date)`),
      '31.2@2022-06-30 33.5@2024-06-30');
    assert.equal(sql(`SELECT count(*) FROM audit_event WHERE action = 'reading.add' AND object_id = '${IND}'`), '2');
  });
});

test('the public page shows the readings in the table and in the chart', T, async () => {
  await withPage(browser, NO_JS, async (page) => {
    const res = await open(server, page, PUBLIC);
    const rows = await page.locator('table.reading-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.innerText.split('\t').map((s) => s.trim())));
    assert.deepEqual(rows.map((r) => r.slice(0, 3)), [['2022-06-30', '31,2', 'Reisevaneundersøkelsen'], ['2024-06-30', '33,5', 'Reisevaneundersøkelsen']]);
    const svg = await page.locator('figure.chart svg').innerHTML();
    assert.match(svg, /33,5/, 'the chart writes the value');
    assert.match(svg, /Vei mot målet/);
    const chartTable = await page.locator('table.chart-table').innerText();
    assert.match(chartTable, /Målinger/);
    assert.match(chartTable, /33,5/);
    assert.match(chartTable, /60/, 'the path ends at the target');
    assert.match(await page.locator('.indicator-track').innerText(), /Status: (I rute|Bak planen)/);
    await judge(page, 'indicator with readings', res);
  });
});

test('the API lists readings and adds one; only planners may add', T, async () => {
  let res = await request('GET', `/api/v1/indicators/${IND}/readings`);
  assert.equal(res.status, 200);
  assertDeclared('/api/v1/indicators/{id}/readings', 'get', res);
  assert.deepEqual(res.json.readings.map((r) => r.value), [31.2, 33.5]);
  assert.equal((await request('GET', '/api/v1/indicators/finnes-ikke/readings')).status, 404);
  assert.equal((await request('POST', `/api/v1/indicators/${IND}/readings`, { json: { value: 1, date: '2025-01-01', source: 'x' } })).status, 401);

  await withPage(browser, NO_JS, async (page, context) => {
    await signIn(server, page, READER);
    const r = await request('POST', `/api/v1/indicators/${IND}/readings`, { session: await sessionOf(server, context), csrf: await csrfOf(page), json: { value: 1, date: '2025-01-01', source: 'x' } });
    assert.equal(r.status, 403);
    assertDeclared('/api/v1/indicators/{id}/readings', 'post', r);
  });
  await withPage(browser, NO_JS, async (page, context) => {
    await signIn(server, page, PLANNER);
    const auth = { session: await sessionOf(server, context), csrf: await csrfOf(page) };
    res = await request('POST', `/api/v1/indicators/${IND}/readings`, { ...auth, json: { value: 35, date: '2025-06-30', source: 'RVU', note: 'Foreløpig tall' } });
    assert.equal(res.status, 201, res.text);
    assertDeclared('/api/v1/indicators/{id}/readings', 'post', res);
    assert.equal(res.headers.get('location'), `/api/v1/indicators/${IND}/readings`);
    assert.equal(res.json.reading.value, 35);
    assert.equal(res.json.reading.note, 'Foreløpig tall');
    res = await request('POST', `/api/v1/indicators/${IND}/readings`, { ...auth, json: { value: '36,5', date: '2025-07-01', source: 'RVU' } });
    assert.equal(res.status, 201, 'a value as text with a decimal comma');
    assert.equal(res.json.reading.value, 36.5);
    res = await request('POST', `/api/v1/indicators/${IND}/readings`, { ...auth, json: { value: 35, date: '2999-01-01', source: 'RVU' } });
    assert.equal(res.status, 400);
    assertDeclared('/api/v1/indicators/{id}/readings', 'post', res);
    assert.deepEqual(res.json.errors.map((e) => e.field), ['date']);
  });
  res = await request('GET', `/api/v1/indicators/${IND}/readings`);
  assert.deepEqual(res.json.readings.map((r) => r.date), ['2022-06-30', '2024-06-30', '2025-06-30', '2025-07-01']);
});

test('the Nu Html Checker finds no error on any page state', { timeout: 180000 }, async () => {
  assert.ok(docs.length >= 5, `only ${docs.length} page states were collected`);
  await assertValidHtml(docs);
});
