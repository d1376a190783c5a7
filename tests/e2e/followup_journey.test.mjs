// The tertial report from start to meeting, in a real Chromium against a real server (the
// ASan build under scripts/test): the leader of a unit (Helse og mestring, made with
// `planverk user add --unit`) signs in, finds the period's form from the workspace, reports T1
// for two of the unit's measures in Leve hele livet in one submit, and sees them move on the
// staff overview, marked «foreløpig», while the public overview does not show them yet. A
// planner closes the period; the public overview, its charts and the measure's page now show
// the reports. Then the question a planner must answer in a minute — «which measures in Leve
// hele livet are behind, what do they cost per year, and who owns them?» — is answered by one
// filtered page, and the same answer comes as CSV and as an Excel workbook read by openpyxl.
// axe-core and the Nu Html Checker judge every page on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, cli, WAIT, withPage, navigate, open, osloDay } from './lib/server.mjs';
import { judgeInto, assertValidHtml } from './lib/check.mjs';
import { addUser, signIn } from './lib/staff.mjs';

const T = { timeout: 180000 };
const LEADER = { email: 'hanne.leder@moss.kommune.no', name: 'Hanne Leder', password: 'hanne har et langt passord' };
const PLANNER = { email: 'pia.planlegger@moss.kommune.no', name: 'Pia Planlegger', password: 'pia har et langt passord' };
const PLAN = 'leve-hele-livet';
// Two measures of Helse og mestring in Leve hele livet (seed 004), with their yearly costs.
const LATE = { id: 'lhl-helsehjelp-t03', title: 'Etablering av ressurssenter for eldre', costs: ['350', '700', '700', '700'] };
const ON_TRACK = { id: 'lhl-mat-t02', title: 'Ansette klinisk ernæringsfysiolog' };
const PERIOD = `${osloDay().slice(0, 4)}-t1`;

let server;
let browser;
const docs = [];
const judge = judgeInto(docs, { noScript: true });

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const res = cli(['user', 'add', '--db', server.db, '--email', LEADER.email, '--name', LEADER.name,
    '--role', 'leser', '--unit', 'helse-og-mestring', '--password-stdin'], { input: LEADER.password + '\n' });
  assert.equal(res.status, 0, res.stderr);
  addUser(server, PLANNER, 'planlegger');
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await server?.stop(); // throws on a non-zero exit status (a leak under ASan)
}, { timeout: 60000 });

async function getJson(p) {
  const res = await fetch(server.url + p, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(WAIT) });
  assert.equal(res.status, 200, p);
  return res.json();
}

/** The row of the overview's list of every measure that names title. */
const measureRow = (page, title) => page.locator('.overview-measures tbody tr', { hasText: title });

test('a unit leader reports T1 for two measures, and they move on the staff overview only', T, async () => {
  const before = await getJson(`/oversikt?plan=${PLAN}`);
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, LEADER);
    const periods = await navigate(page, () => page.getByRole('link', { name: 'Tertialrapportering' }).click());
    assert.equal(periods.status(), 200);
    await judge(page, '/arbeid/rapportering', periods);
    const res = await navigate(page, () => page.locator(`a[href="/arbeid/rapportering/${PERIOD}"]`).first().click());
    assert.equal(res.status(), 200);
    await judge(page, `/arbeid/rapportering/${PERIOD}`, res);
    const row = (m) => page.locator('fieldset.report-row', { has: page.locator('legend', { hasText: m.title }) });
    await row(LATE).getByLabel('Forsinket', { exact: true }).check();
    await row(LATE).locator('.report-progress').fill('20');
    await row(LATE).locator('textarea').fill('Lokalene er ikke klare; oppstart flyttes til høsten.');
    await row(ON_TRACK).getByLabel('I rute', { exact: true }).check();
    await row(ON_TRACK).locator('.report-progress').fill('50');
    const saved = await navigate(page, () => page.getByRole('button', { name: 'Lagre rapportene' }).click());
    assert.equal(saved.status(), 200);
    assert.match(await page.locator('[role="status"]').innerText(), /Antall lagret: 2/);
    await judge(page, `/arbeid/rapportering/${PERIOD} saved`, saved);

    const staff = await navigate(page, () => page.goto(`${server.url}/arbeid/oversikt?plan=${PLAN}`));
    await judge(page, '/arbeid/oversikt', staff);
    assert.match(await measureRow(page, LATE.title).innerText(), /Forsinket[\s\S]*foreløpig/);
    assert.match(await measureRow(page, ON_TRACK.title).innerText(), /I rute[\s\S]*foreløpig/);
  });
  // not public before the period is closed
  const after = await getJson(`/oversikt?plan=${PLAN}`);
  assert.deepEqual(after.tally.by_status, before.tally.by_status);
});

test('a planner closes the period; the public overview, its charts and the measure page show it', T, async () => {
  const before = await getJson(`/oversikt?plan=${PLAN}`);
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, PLANNER);
    await open(server, page, `/arbeid/rapportering/${PERIOD}`);
    await page.check('#f-bekreft');
    const res = await navigate(page, () => page.getByRole('button', { name: 'Lukk perioden og publiser rapportene' }).click());
    assert.equal(res.status(), 200);
    assert.match(await page.locator('main').innerText(), /rapportene er publisert/);
  });
  const after = await getJson(`/oversikt?plan=${PLAN}`);
  assert.equal(after.tally.by_status.forsinket, (before.tally.by_status.forsinket ?? 0) + 1);
  assert.equal(after.tally.by_status['i rute'], (before.tally.by_status['i rute'] ?? 0) + 1);
  await withPage(browser, {}, async (page) => {
    const res = await open(server, page, `/oversikt?plan=${PLAN}`);
    await judge(page, '/oversikt after closing', res);
    assert.match(await measureRow(page, LATE.title).innerText(), /Forsinket/);
    assert.doesNotMatch(await measureRow(page, LATE.title).innerText(), /foreløpig/);
    // the status chart draws the new count, and its table says the same
    const status = page.locator('section.overview-section:has(svg)').first();
    assert.ok(await status.locator('svg').count());
    const svgText = await status.locator('svg').textContent();
    const cell = await status.locator('table tbody tr', { hasText: 'Forsinket' }).locator('td').first().innerText();
    assert.equal(cell.trim(), String(after.tally.by_status.forsinket));
    assert.ok(svgText.includes(cell.trim()), 'the SVG shows the count the table shows');
    // the measure's own page has the report in its history
    const m = await open(server, page, `/tiltak/${LATE.id}`);
    await judge(page, `/tiltak/${LATE.id}`, m);
    assert.match(await page.locator('main').innerText(), /1\. tertial[\s\S]*Forsinket[\s\S]*20 %/);
    // the source's lines are the description's paragraphs
    assert.ok(await page.locator('.measure-description').count() > 1);
    assert.equal(await page.locator('.measure-description').first().innerText(), LATE.title);
  });
});

test('«which measures in Leve hele livet are behind, what do they cost, who owns them?» — one page, CSV and Excel', T, async () => {
  const q = `plan=${PLAN}&status=forsinket`;
  await withPage(browser, { javaScriptEnabled: false }, async (page) => {
    const res = await open(server, page, `/oversikt?${q}`);
    await judge(page, '/oversikt behind', res, { jsOff: true });
    const rows = page.locator('.overview-measures tbody tr');
    assert.equal(await rows.count(), 1);
    const cells = await rows.first().locator('th, td').allInnerTexts();
    assert.match(cells[0], new RegExp(LATE.title));
    assert.match(cells.join(' | '), /Helse og mestring/);
    for (const c of LATE.costs) assert.ok(cells.includes(c), `cost ${c} in ${cells.join(' | ')}`);
  });
  // CSV: the same row, with BOM and ';'
  const csvRes = await fetch(`${server.url}/oversikt?${q}&format=csv&tabell=tiltak`, { signal: AbortSignal.timeout(WAIT) });
  assert.equal(csvRes.status, 200);
  const csv = Buffer.from(await csvRes.arrayBuffer());
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = csv.toString('utf8').slice(1).trim().split('\r\n');
  assert.equal(lines.length, 2);
  assert.match(lines[1], new RegExp(`${LATE.title};.*Helse og mestring;.*Forsinket`));
  // Excel, read by openpyxl (Debian's /usr/bin/python3)
  const xlsxRes = await fetch(`${server.url}/oversikt?${q}&format=xlsx`, { signal: AbortSignal.timeout(WAIT) });
  assert.equal(xlsxRes.status, 200);
  const dir = mkdtempSync(path.join(tmpdir(), 'planverk-journey-'));
  try {
    const file = path.join(dir, 'oversikt.xlsx');
    writeFileSync(file, Buffer.from(await xlsxRes.arrayBuffer()));
    const read = execFileSync('/usr/bin/python3', ['-c', `
import json, sys
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1], data_only=True)
out = {"sheets": wb.sheetnames, "rows": []}
for ws in wb.worksheets[1:]:
    for row in ws.iter_rows(min_row=2, values_only=True):
        out["rows"].append([c for c in row])
print(json.dumps(out, default=str))
`, file], { encoding: 'utf8' });
    const book = JSON.parse(read);
    assert.equal(book.sheets[0], 'Sammendrag');
    assert.equal(book.rows.length, 1);
    const [row] = book.rows;
    assert.equal(row[0], LATE.title);
    assert.ok(row.includes('Helse og mestring'), JSON.stringify(row));
    assert.ok(row.includes('Forsinket'), JSON.stringify(row));
    for (const c of LATE.costs) assert.ok(row.includes(Number(c)), `cost ${c} in ${JSON.stringify(row)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every page of the journey is valid HTML (Nu Html Checker)', T, async () => {
  await assertValidHtml(docs);
});
