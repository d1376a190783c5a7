// What came of the inputs, in a real Chromium against a real server: three inputs arrive
// through the public API (one with contact data, one from an organisation, one that stays
// unassessed), an assessment covering two of them is written with SQL (as helper pages do),
// and then: the public summary «Dette sa dere – dette gjorde vi» shows counts by outcome,
// theme and channel and the published inputs with their assessment, never a name or an
// address; the staff's merknadsbehandling lists one row per assessment plus the unassessed
// input (anonymous visitors are sent to sign in); the CSV download has a BOM, RFC 4180
// quoting and the formula guard; and `planverk gdpr purge --now` past the retention erases
// the contact data while the receipt still shows the input. axe-core and the Nu Html Checker
// judge every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, launchBrowser, WAIT, withPage, open, cli } from './lib/server.mjs';
import { judgeInto, assertValidHtml } from './lib/check.mjs';
import { addUser, signIn, sessionOf } from './lib/staff.mjs';

const T = { timeout: 120000 };
const ADVISOR = { email: 'sara.summary@moss.kommune.no', name: 'Sara Summar', password: 'sara har et langt passord' };
const SLUG = 'horing-medvirkningsplan';
const SUMMARY = `/medvirkning/${SLUG}/oppsummering`;
const MERKNAD = `/arbeid/prosesser/${SLUG}/merknadsbehandling`;
const PRIVATE_TEXT = 'Holdeplassen ved "Kirkeparken" trenger tak, benker og lys.';
const ORG_TEXT = '=HYPERLINK("http://example.com") – idrettslagene vil ha flere møter om kveldene.';
const OPEN_TEXT = '=1+1, og lag en kortversjon av planen på lettlest norsk.';
const CONTACT = { name: 'Kari Summarsen', email: 'kari.summarsen@example.no', phone: '40123456' };
const JUSTIFICATION = 'Kommunen holder to kveldsmøter og setter tak over holdeplassen i 2027.';

let server;
let browser;
const docs = [];
const judge = judgeInto(docs, { noScript: true });
const state = {};

function sql(statements) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, statements], { encoding: 'utf8' }).trim();
}

async function post(p, body) {
  const res = await fetch(server.url + p, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body), signal: AbortSignal.timeout(WAIT),
  });
  const json = await res.json();
  assert.equal(res.status, 201, JSON.stringify(json));
  return json;
}

async function get(p, headers = {}) {
  const res = await fetch(server.url + p, { headers: { Accept: 'application/json', ...headers }, redirect: 'manual', signal: AbortSignal.timeout(WAIT) });
  return { res, text: await res.text() };
}

/** RFC 4180: records of fields, quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  assert.equal(field, '', 'the CSV ends with CRLF');
  return rows;
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  addUser(server, ADVISOR, 'radgiver');
  const api = `/api/v1/processes/${SLUG}/inputs`;
  const a = await post(api, { text: PRIVATE_TEXT, themes: ['Oppfølging'], ...CONTACT, consent: true });
  const b = await post(api, { text: ORG_TEXT, themes: ['Oppfølging'], sender_type: 'organisasjon', on_behalf_of: 'Moss idrettsråd' });
  await post(api, { text: OPEN_TEXT, themes: ['Annet'] });
  state.receipt = a.code;
  const ids = sql(`SELECT id FROM input WHERE process_id = '${SLUG}' ORDER BY id DESC LIMIT 3;`).split('\n').map(Number).reverse();
  [state.a, state.b, state.c] = ids;
  sql(`UPDATE input SET moderation = 'publisert' WHERE id IN (${ids.join(',')});
    INSERT INTO assessment (id, process_id, outcome, justification, summary, themes, assessed_at)
      VALUES (9001, '${SLUG}', 'delvis tatt til følge', '${JUSTIFICATION}', NULL, '["Oppfølging"]', 1800000000);
    INSERT INTO assessment_input VALUES (9001, ${state.a}), (9001, ${state.b});
    UPDATE input SET assessment_id = 9001, status = 'vurdert' WHERE id IN (${state.a}, ${state.b});
    INSERT INTO feedback (id, input_id, assessment_id, language, body, written_at)
      VALUES (9001, ${state.a}, 9001, 'nb', 'Takk for innspillet om holdeplassen.', 1800000000);
    INSERT INTO outbox (feedback_id, to_address, subject, body, created_at, next_attempt_at, sent_at)
      VALUES (9001, '${CONTACT.email}', 'Svar', 'Takk', 1800000000, 1800000000, 1800000001);`);
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await server?.stop();
}, { timeout: 60000 });

test('the public summary shows counts and the published inputs with their assessment, without personal data', T, async () => {
  await withPage(browser, {}, async (page) => {
    const res = await open(server, page, SUMMARY);
    await judge(page, 'summary', res);
    const main = await page.locator('main').innerText();
    assert.ok(main.includes(PRIVATE_TEXT), 'the private input');
    assert.ok(main.includes(JUSTIFICATION), 'the justification');
    assert.ok(main.includes('Delvis tatt til følge'));
    assert.ok(main.includes('Ikke vurdert ennå.'), 'the unassessed input says so');
    assert.ok(main.includes('Moss idrettsråd'), 'organisations are named');
    const html = await res.text();
    for (const secret of [CONTACT.name, CONTACT.email, CONTACT.phone]) assert.ok(!html.includes(secret), `no ${secret}`);
    // the outcome table: a row header and a count per outcome
    const outcome = page.locator('table').first();
    assert.equal(await outcome.locator('th[scope="row"]', { hasText: 'Delvis tatt til følge' }).count(), 1);
    assert.equal(await outcome.locator('tr', { hasText: 'Delvis tatt til følge' }).locator('td').innerText(), '2');
    // reached from the process page
    await open(server, page, `/medvirkning/${SLUG}`);
    assert.equal(await page.locator(`a[href="${SUMMARY}"]`).count(), 1);
  });
  const { res, text } = await get(SUMMARY);
  assert.equal(res.status, 200);
  const vm = JSON.parse(text);
  const mine = vm.inputs.find((i) => i.id === state.a);
  assert.equal(mine.assessment.outcome, 'delvis tatt til følge');
  assert.equal(vm.outcomes.find((o) => o.value === 'delvis tatt til følge').count, 2);
  assert.ok(vm.total >= 3);
  assert.ok(!text.includes(CONTACT.email));
  assert.equal((await get(`/medvirkning/finnes-ikke/oppsummering`)).res.status, 404);
});

test('the merknadsbehandling is for staff: one row per assessment, unassessed inputs marked', T, async () => {
  const anon = await get(MERKNAD, { Accept: 'text/html' });
  assert.equal(anon.res.status, 303);
  assert.match(anon.res.headers.get('location'), /^\/logg-inn/);
  assert.equal((await get(MERKNAD + '.csv', { Accept: 'text/csv' })).res.status, 303);
  await withPage(browser, {}, async (page, context) => {
    await signIn(server, page, ADVISOR);
    state.session = await sessionOf(server, context);
    const res = await open(server, page, MERKNAD);
    await judge(page, 'merknadsbehandling', res);
    const rows = page.locator('table.merknad-table tbody tr');
    const grouped = rows.filter({ hasText: JUSTIFICATION });
    assert.equal(await grouped.count(), 1, 'the two inputs of one assessment are one row');
    const cells = await grouped.locator('td').allInnerTexts();
    assert.match(cells[2], /privatperson; Moss idrettsråd/);
    assert.ok(!cells.join(' ').includes(CONTACT.name), 'private persons are not named');
    assert.ok(cells[3].includes(PRIVATE_TEXT) && cells[3].includes('idrettslagene'));
    assert.equal(cells[5], 'Delvis tatt til følge');
    const open_ = rows.filter({ hasText: OPEN_TEXT });
    assert.equal(await open_.count(), 1);
    assert.equal((await open_.locator('td').allInnerTexts())[5], 'Ikke vurdert');
    assert.equal(await page.locator('link[rel="stylesheet"][media="print"][href="/static/css/print.css"]').count(), 1);
    assert.equal((await page.request.get(server.url + '/static/css/print.css')).status(), 200);
  });
});

test('the merknadsbehandling downloads as CSV for Excel', T, async () => {
  const res = await fetch(server.url + MERKNAD + '.csv', { headers: { Cookie: `pv_session=${state.session}` }, signal: AbortSignal.timeout(WAIT) });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="merknadsbehandling-horing-medvirkningsplan\.csv"$/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 BOM');
  const rows = parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.slice(3)));
  assert.deepEqual(rows[0], ['Nr.', 'Tema', 'Avsender', 'Mottatt', 'Sammendrag av merknaden', 'Kommunedirektørens vurdering', 'Konklusjon']);
  for (const r of rows) assert.equal(r.length, 7);
  const grouped = rows.find((r) => r[5] === JUSTIFICATION);
  assert.ok(grouped, 'the assessed row');
  assert.equal(grouped[1], 'Oppfølging');
  assert.equal(grouped[2], 'privatperson; Moss idrettsråd');
  assert.equal(grouped[6], 'Delvis tatt til følge');
  assert.equal(grouped[4], `${PRIVATE_TEXT}\n\n${ORG_TEXT}`, 'quotes, commas and line breaks survive');
  // a cell that would start with = is guarded with a leading '
  const unassessed = rows.find((r) => r[4] === `'${OPEN_TEXT}`);
  assert.ok(unassessed, 'the unassessed row, its formula guarded');
  assert.equal(unassessed[6], 'Ikke vurdert');
  for (const r of rows) for (const cell of r) assert.ok(!/^[=+\-@]/.test(cell), `no cell starts a formula: ${cell}`);
  assert.deepEqual(rows.slice(1).map((r) => Number(r[0])), rows.slice(1).map((_, i) => i + 1));
});

test('gdpr purge past the retention erases contact data; the receipt still shows the input and its feedback', T, async () => {
  assert.equal(sql(`SELECT count(*) FROM contact WHERE email = '${CONTACT.email}';`), '1');
  const early = cli(['gdpr', 'purge', '--db', server.db, '--now', '2000-01-01']);
  assert.equal(early.status, 0, early.stderr);
  assert.match(early.stdout, /erased the contact data of 0 inputs/);
  const res = cli(['gdpr', 'purge', '--db', server.db, '--now', '2099-01-01']);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /erased the contact data of [1-9]\d* inputs/);
  assert.equal(sql('SELECT count(*) FROM contact;'), '0');
  assert.equal(sql(`SELECT count(*) FROM outbox WHERE to_address IS NOT NULL;`), '0');
  assert.equal(sql(`SELECT count(*) FROM audit_event WHERE action = 'contact.erase' AND actor = 'system' AND object_id = '${state.a}';`), '1');
  assert.equal(sql(`SELECT text FROM input WHERE id = ${state.a};`), PRIVATE_TEXT);
  assert.equal(sql(`SELECT count(*) FROM feedback WHERE input_id = ${state.a};`), '1');
  const exported = cli(['gdpr', 'export', '--db', server.db, '--email', CONTACT.email]);
  assert.equal(exported.status, 0);
  assert.deepEqual(JSON.parse(exported.stdout).inputs, []);
  await withPage(browser, {}, async (page) => {
    const r = await open(server, page, `/kvittering/${state.receipt}`);
    await judge(page, 'receipt after purge', r);
    const html = await r.text();
    assert.ok(html.includes('Kirkeparken'), 'the input is kept');
    assert.ok(html.includes('Takk for innspillet om holdeplassen.'), 'its feedback is kept');
    for (const secret of [CONTACT.name, CONTACT.email, CONTACT.phone]) assert.ok(!html.includes(secret));
  });
  const receipt = await get(`/api/v1/receipts/${state.receipt.toLowerCase()}`);
  assert.equal(receipt.res.status, 200);
  const rec = JSON.parse(receipt.text);
  assert.match(rec.feedback?.text ?? '', /holdeplassen/, 'the feedback is kept after the purge');
  const usage = cli(['gdpr', 'purge', '--db', server.db, '--now', 'i morgen']);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--now needs a date/);
});

test('every page is valid HTML (Nu Html Checker)', { timeout: 180000 }, async () => {
  await assertValidHtml(docs);
});
