// The overview's downloads against a real server: every ?tabell= as CSV for Norwegian Excel
// (BOM, ';', the headings in bokmål, a file name) with the numbers the page's JSON has, and
// the Excel workbook, which tests/e2e/xlsx_check.py opens with openpyxl: the «Sammendrag»
// formulas, evaluated by the script over the ranges they name, equal the cached values and the
// page's cost sums per plan and year. Filters carry into the files. Reports are written with
// SQL before the first request (the demo data has none).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, root, WAIT } from './lib/server.mjs';

const T = { timeout: 120000 };
const PLAN = 'leve-hele-livet';
const YEAR = new Date().getFullYear() - 1;
const TABLES = ['tiltak', 'status', 'plan', 'enhet', 'kostnad-plan', 'kostnad-enhet', 'forsinket', 'revisjon', 'indikatorer'];

let server;
let dir;

function sql(statements) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, statements], { encoding: 'utf8' }).trim();
}

before(async () => {
  server = await startServer();
  dir = mkdtempSync(path.join(tmpdir(), 'planverk-xlsx-'));
  const [a, b] = sql(`SELECT id FROM measure WHERE plan_id = '${PLAN}' AND kind = 'tiltak' ORDER BY position LIMIT 2;`).split('\n');
  sql(`INSERT INTO measure_report (measure_id, year, period, status, progress, reported_at) VALUES
         ('${a}', ${YEAR}, 't1', 'forsinket', 20, 1), ('${b}', ${YEAR}, 't1', 'i rute', 60, 1);
       INSERT INTO report_period (year, period, closed_at) VALUES (${YEAR}, 't1', 10);`);
}, { timeout: 60000 });

after(async () => {
  rmSync(dir ?? '/nonexistent', { recursive: true, force: true });
  await server?.stop();
}, { timeout: 60000 });

async function get(p) {
  const res = await fetch(server.url + p, { signal: AbortSignal.timeout(WAIT) });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function overview(q = '') {
  const res = await fetch(`${server.url}/oversikt${q}`, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(WAIT) });
  assert.equal(res.status, 200);
  return res.json();
}

/** Every measure of the overview with the filters q ('' or '?…'), from all its pages. */
async function allMeasures(q, page) {
  const all = [...page.measures];
  for (let n = 2; n <= page.paging.count; n++) all.push(...(await overview(`${q ? q + '&' : '?'}side=${n}`)).measures);
  assert.equal(all.length, page.measures_total);
  return all;
}

/** RFC 4180 records with separator sep. */
function parseCsv(text, sep) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  assert.equal(field + row.length, '0', 'the file ends with CRLF');
  return rows;
}

async function csv(q) {
  const { res, bytes } = await get(`/oversikt?${q}`);
  assert.equal(res.status, 200, q);
  assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM for Excel');
  return { res, rows: parseCsv(bytes.subarray(3).toString('utf8'), ';') };
}

test('every table downloads as CSV with a BOM, semicolons and Norwegian headings', T, async () => {
  const page = await overview();
  for (const t of TABLES) {
    const { res, rows } = await csv(`format=csv&tabell=${t}`);
    assert.equal(res.headers.get('content-disposition'), `attachment; filename="oversikt-${t}.csv"`);
    assert.ok(rows.length >= 1, t);
    const width = rows[0].length;
    assert.ok(rows.every((r) => r.length === width), `${t}: every record has ${width} fields`);
  }
  const { rows } = await csv('format=csv');
  assert.deepEqual(rows[0].slice(0, 8), ['Tiltak', 'Plan', 'Satsingsområde', 'Ansvarlig', 'Status', 'Periode', 'Fremdrift %', 'Frist']);
  assert.deepEqual(rows[0].slice(8), page.years.map((y) => `${y} (1000 kr)`));
  assert.equal(rows.length - 1, page.shown);
  assert.ok(rows.some((r) => r[4] === 'Forsinket' && r[6] === '20'));
  // by status: the page's counts, in the statuses' order
  const status = (await csv('format=csv&tabell=status')).rows;
  assert.deepEqual(status[0], ['Status', 'Tiltak']);
  assert.deepEqual(status.slice(1).map((r) => Number(r[1])), page.tally.statuses.map((s) => page.tally.by_status[s]));
  assert.equal(status.find((r) => r[0] === 'Ikke rapportert')[1], String(page.shown - 2));
  // cost per year by plan: one column per plan, plain numbers, the page's sums
  const cost = (await csv('format=csv&tabell=kostnad-plan')).rows;
  page.tally.cost_by_plan.forEach((p, i) => {
    assert.equal(cost[0][i + 1], p.name);
    p.amounts.forEach((a, k) => assert.equal(cost[k + 1][i + 1], String(a)));
  });
});

test('the filters carry into the CSV', T, async () => {
  const page = await overview(`?plan=${PLAN}&status=forsinket`);
  assert.equal(page.shown, 1);
  const { rows } = await csv(`plan=${PLAN}&status=forsinket&format=csv&tabell=tiltak`);
  assert.equal(rows.length, 2);
  assert.equal(rows[1][0], page.measures[0].title);
});

test('the Excel workbook: Sammendrag formulas equal the page sums', T, async () => {
  for (const q of ['', `?plan=${PLAN}`]) {
    const page = await overview(q);
    const { res, bytes } = await get(`/oversikt${q ? q + '&' : '?'}format=xlsx`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.match(res.headers.get('content-disposition'), /^attachment; filename="tiltaksoversikt-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    const file = path.join(dir, `oversikt${q ? '-plan' : ''}.xlsx`);
    writeFileSync(file, bytes);
    const titles = new Map();
    for (const mm of await allMeasures(q, page)) {
      if (!titles.has(mm.plan_id)) titles.set(mm.plan_id, []);
      titles.get(mm.plan_id).push(mm.title);
    }
    const expected = {
      years: page.tally && page.years.map(Number),
      columns: ['Tiltak', 'Satsingsområde', 'Ansvarlig', 'Status', 'Periode', 'Fremdrift %', 'Frist'],
      plans: page.tally.cost_by_plan.map((p) => ({ name: p.name, amounts: p.amounts, titles: titles.get(p.id) })),
      total: page.tally.cost_total,
    };
    const exp = path.join(dir, 'expected.json');
    writeFileSync(exp, JSON.stringify(expected));
    try {
      execFileSync('/usr/bin/python3', [path.join(root, 'tests/e2e/xlsx_check.py'), file, exp], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      assert.fail(`xlsx_check.py (${q || 'all'}):\n${e.stdout}${e.stderr}`);
    }
  }
});
