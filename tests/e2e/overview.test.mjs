// The follow-up overview in a real Chromium against a real server. Reports are written with
// SQL before the first visit (the demo data has none): in a past year, T1 and T2 closed, one
// report in the open annual period. Then: /oversikt shows five SVG charts whose numbers (every
// bar's title and every bar's total) are those of the table beside it, the overdue measure,
// only statuses of closed periods; /arbeid/oversikt also shows the open one, marked
// «foreløpig»; the filter form works without JavaScript and carries its filters into the
// download links, with a «Nullstill» link; printing hides the navigation and the form; wrong
// filter, format or table values get 400. axe-core and the Nu Html Checker judge every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, launchBrowser, WAIT, withPage, open, navigate } from './lib/server.mjs';
import { judgeInto, assertValidHtml } from './lib/check.mjs';
import { addUser, signIn } from './lib/staff.mjs';

const T = { timeout: 120000 };
const PLANNER = { email: 'otto.oversikt@moss.kommune.no', name: 'Otto Oversikt', password: 'otto har et langt passord' };
const PLAN = 'leve-hele-livet';
const YEAR = new Date().getFullYear() - 1;

let server;
let browser;
const docs = [];
const judge = judgeInto(docs, { noScript: true });
const m = {}; // the measures given reports: late, done, open

function sql(statements) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db, statements], { encoding: 'utf8' }).trim();
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  addUser(server, PLANNER, 'planlegger');
  const ids = sql(`SELECT id FROM measure WHERE plan_id = '${PLAN}' AND kind = 'tiltak' ORDER BY position LIMIT 3;`).split('\n');
  assert.equal(ids.length, 3);
  [m.late, m.done, m.open] = ids;
  const title = (id) => sql(`SELECT title FROM measure WHERE id = '${id}';`);
  m.lateTitle = title(m.late);
  m.openTitle = title(m.open);
  // reports first, then the periods are closed (the triggers refuse reports in closed ones)
  sql(`INSERT INTO measure_report (measure_id, year, period, status, progress, reported_at) VALUES
         ('${m.late}', ${YEAR}, 't1', 'i rute', 30, 1), ('${m.late}', ${YEAR}, 't2', 'forsinket', 40, 2),
         ('${m.done}', ${YEAR}, 't1', 'fullført', 100, 1), ('${m.open}', ${YEAR}, 'aar', 'i rute', 50, 3);
       UPDATE measure SET deadline = '${YEAR}-01-15' WHERE id = '${m.late}';
       INSERT INTO report_period (year, period, closed_at) VALUES (${YEAR}, 't1', 10), (${YEAR}, 't2', 20);`);
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await server?.stop(); // a leak under ASan fails here
}, { timeout: 60000 });

async function getJson(p, headers = {}) {
  const res = await fetch(server.url + p, { headers: { Accept: 'application/json', ...headers }, redirect: 'manual', signal: AbortSignal.timeout(WAIT) });
  return { status: res.status, json: res.status === 200 ? await res.json() : undefined, text: res.status === 200 ? '' : await res.text() };
}

/** Every chart section's numbers: from the SVG (bar titles and bar totals) and from its table. */
function sectionsOf(page) {
  return page.locator('section.overview-section:has(svg)').evaluateAll((sections) => sections.map((s) => ({
    id: s.getAttribute('aria-labelledby'),
    bars: [...s.querySelectorAll('svg rect title')].map((t) => t.textContent),
    totals: [...s.querySelectorAll('svg text.chart-value')].map((t) => t.textContent),
    head: [...s.querySelectorAll('table thead th')].map((th) => th.textContent),
    rows: [...s.querySelectorAll('table tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent)),
  })));
}

test('the public overview: charts with their numbers in the tables, closed periods only', T, async () => {
  await withPage(browser, {}, async (page) => {
    const res = await open(server, page, '/oversikt');
    await judge(page, '/oversikt', res);
    assert.equal(await page.locator('svg[role="img"]').count(), 5);
    const sections = await sectionsOf(page);
    assert.equal(sections.length, 5);
    for (const s of sections) {
      assert.ok(s.rows.length > 0 && s.totals.length === s.rows.length, `${s.id}: a total per bar`);
      const stacked = s.head.length > 2;
      s.rows.forEach((row, k) => {
        // a bar's total is the row's last cell (the «Sum» column of a stacked chart)
        const last = row[row.length - 1];
        assert.ok(last === s.totals[k] || last.startsWith(s.totals[k] + ' '), `${s.id} row ${k}: total ${s.totals[k]} vs ${last}`);
      });
      for (const title of s.bars) {
        // «category, series: value» (stacked) or «category: value»
        const at = title.lastIndexOf(': ');
        assert.ok(at > 0, title);
        const value = title.slice(at + 2);
        let cat = title.slice(0, at), series;
        if (stacked) {
          series = s.head.slice(1, -1).find((h) => cat.endsWith(', ' + h));
          assert.ok(series, `${s.id}: «${title}» names no column`);
          cat = cat.slice(0, -(series.length + 2));
        }
        const row = s.rows.find((r) => r[0] === cat);
        assert.ok(row, `${s.id}: no row «${cat}»`);
        const col = stacked ? s.head.indexOf(series) : 1;
        assert.ok(col > 0, `${s.id}: no column «${series}»`);
        assert.ok(row[col] === value || row[col].startsWith(value + ' '), `${s.id} ${title}: table has ${row[col]}`);
      }
    }
    const late = page.locator('.overview-measures tbody tr', { hasText: m.lateTitle });
    await assert.doesNotReject(late.first().waitFor());
    assert.match(await late.first().innerText(), /Forsinket/);
    assert.doesNotMatch(await page.locator('.overview-measures').innerText(), /foreløpig/);
    assert.match(await page.locator('#ov-heading-forsinket').locator('xpath=..').innerText(), new RegExp(m.lateTitle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });
  const { json } = await getJson('/oversikt');
  assert.equal(json.tally.by_status.forsinket, 1);
  assert.equal(json.tally.by_status['fullført'], 1);
  assert.equal(json.tally.by_status['i rute'], 0); // the open annual report is not public
  assert.equal(json.shown, json.measures_total); // every measure counts; the list is paged
  assert.equal(json.measures.length, Math.min(100, json.measures_total));
  assert.equal(json.paging.count, Math.ceil(json.measures_total / 100));
  const api = await getJson('/api/v1/overview');
  assert.deepEqual(api.json.tally, json.tally);
});

test('the staff overview shows open periods too, marked «foreløpig»', T, async () => {
  await withPage(browser, {}, async (page) => {
    const res = await page.goto(server.url + '/arbeid/oversikt');
    assert.equal(new URL(page.url()).pathname, '/logg-inn', 'anonymous visitors are sent to sign in');
    assert.ok(res);
    await signIn(server, page, PLANNER);
    const staff = await open(server, page, '/arbeid/oversikt');
    await judge(page, '/arbeid/oversikt', staff);
    const row = page.locator('.overview-measures tbody tr', { hasText: m.openTitle }).first();
    assert.match(await row.innerText(), /I rute.*foreløpig/s);
    assert.equal(await row.locator(`a[href="/arbeid/tiltak/${m.open}"]`).count(), 1);
  });
});

test('the filters work without JavaScript and carry into the downloads', T, async () => {
  await withPage(browser, { javaScriptEnabled: false }, async (page) => {
    await open(server, page, '/oversikt');
    const all = await page.locator('.overview-measures tbody tr').count();
    await page.selectOption('#filter-plan', PLAN);
    await page.selectOption('#filter-status', 'forsinket');
    const res = await navigate(page, () => page.click('.overview-filters button[type="submit"]'));
    assert.equal(res.status(), 200);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('plan'), PLAN);
    assert.equal(url.searchParams.get('status'), 'forsinket');
    await judge(page, '/oversikt filtered', res, { jsOff: true });
    assert.equal(await page.locator('.overview-measures tbody tr').count(), 1);
    assert.ok(all > 1);
    assert.equal(await page.locator('#filter-plan').inputValue(), PLAN);
    const csv = await page.locator('.overview-downloads a').nth(1).getAttribute('href');
    assert.match(csv, new RegExp(`^/oversikt\\?plan=${PLAN}&status=forsinket&format=csv&tabell=tiltak$`));
    const xlsx = await page.locator('.overview-downloads a').first().getAttribute('href');
    assert.match(xlsx, /plan=leve-hele-livet&status=forsinket&format=xlsx$/);
    const reset = page.locator('.overview-filters a', { hasText: 'Nullstill' });
    assert.equal(await reset.getAttribute('href'), '/oversikt');
    await navigate(page, () => reset.click());
    assert.equal(await page.locator('.overview-measures tbody tr').count(), all);
    // nothing matches: said so, with a way back
    const none = await open(server, page, `/oversikt?plan=${PLAN}&status=avbrutt`);
    await judge(page, '/oversikt empty', none, { jsOff: true });
    assert.match(await page.locator('main').innerText(), /Ingen tiltak passer med filtrene/);
  });
});

test('printing hides the navigation and the filter form and keeps the tables', T, async () => {
  await withPage(browser, {}, async (page) => {
    await open(server, page, '/oversikt');
    assert.equal(await page.locator('link[rel="stylesheet"][href="/static/css/overview.css"]').count(), 1);
    assert.ok(await page.locator('.overview-filters').isVisible());
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.overview-filters').isVisible(), false);
    assert.equal(await page.locator('.overview-downloads').isVisible(), false);
    assert.equal(await page.locator('.site-header').first().isVisible(), false);
    assert.ok(await page.locator('.overview-measures').isVisible());
    const breakInside = await page.locator('.overview-measures tbody tr').first().evaluate((tr) => getComputedStyle(tr).breakInside);
    assert.equal(breakInside, 'avoid');
  });
});

test('the list of every measure comes in pages of 100, the charts count them all', T, async () => {
  const first = (await getJson('/oversikt')).json;
  assert.ok(first.measures_total > 100, 'the demo has more than one page of measures');
  await withPage(browser, { javaScriptEnabled: false }, async (page) => {
    await open(server, page, '/oversikt');
    assert.equal(await page.locator('.overview-measures tbody tr').count(), 100);
    const next = page.locator('.overview-paging a[rel="next"]');
    const res = await navigate(page, () => next.click());
    assert.equal(new URL(page.url()).searchParams.get('side'), '2');
    await judge(page, '/oversikt page 2', res, { jsOff: true });
    const rest = first.measures_total - 100;
    assert.equal(await page.locator('.overview-measures tbody tr').count(), Math.min(rest, 100));
    assert.match(await page.locator('.overview-paging').innerText(), new RegExp(`101–${100 + Math.min(rest, 100)} av ${first.measures_total}`));
    assert.equal(await page.locator('.overview-paging a[rel="prev"]').count(), 1);
  });
  const second = (await getJson('/oversikt?side=2')).json;
  assert.deepEqual(second.tally, first.tally);
  assert.notDeepEqual(second.measures.map((m) => m.id), first.measures.map((m) => m.id));
  const past = (await getJson('/oversikt?side=999')).json; // past the end: the last page
  assert.equal(past.paging.number, past.paging.count);
});

test('unknown filters, formats and tables are refused with 400', T, async () => {
  for (const q of ['plan=finnes-ikke', 'status=ferdig', 'aar=20x5', 'enhet=ingen-slik', 'format=pdf', 'format=csv&tabell=budsjett', 'side=0', 'side=en']) {
    const res = await fetch(`${server.url}/oversikt?${q}`, { signal: AbortSignal.timeout(WAIT) });
    assert.equal(res.status, 400, q);
    await res.text();
  }
});

test('every page is valid HTML (Nu Html Checker)', T, async () => {
  await assertValidHtml(docs);
});
