// The public pages in a real Chromium against a real server (the ASan build under
// scripts/test): every page loads in nb, nn and en with a sensible <title> and <h1>, axe-core
// finds no WCAG 2.1 A/AA violation, the Nu Html Checker finds no error, keyboard-only
// navigation works with visible focus, the language switch works, the plan, plan list and goal
// pages show the facts of the Moss data, and Markdown from the data comes out inert.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, cli, WAIT, withPage } from './lib/server.mjs';
import { axeViolations, formatViolations, vnuErrors, formatVnuErrors } from './lib/check.mjs';

const NBSP = '\u00a0';
const T = { timeout: 120000 }; // the bound of every browser test (axe on a big page is slow)

let server;
let browser;
let vnuReport; // Promise<Map name → errors>, started once all pages are fetched
const axeFound = new Map(); // "lang path" → violations, from the page load of the first test

/** Every page of the issue, with what its bokmål <title>/<h1> say. `content` marks headings
 * that are data (plan names) and therefore the same in every UI language. */
const PAGES = [
  { path: '/', status: 200, h1: 'Planene til Moss kommune', title: 'Forside' },
  { path: '/planer', status: 200, h1: 'Planer i Moss kommune', title: 'Planer' },
  { path: '/planer?tema=levekar-folkehelse-og-livskvalitet', status: 200, h1: 'Planer i Moss kommune', title: 'Planer' },
  { path: '/planer?status=vedtatt&sorter=vedtatt', status: 200, h1: 'Planer i Moss kommune', title: 'Planer' },
  { path: '/planer?type=ikke-oppgitt', status: 200, h1: 'Planer i Moss kommune', title: 'Planer' },
  { path: '/planer/leve-hele-livet', status: 200, h1: 'Slik vil vi leve hele livet', content: true },
  { path: '/planer/medvirkningsplan', status: 200, h1: 'Medvirkningsplan', content: true },
  { path: '/planer/strategisk-plan-helse-og-mestring', status: 200, h1: 'Strategisk plan for kommunalområde helse og mestring 2021 - 2024', content: true },
  { path: '/planer/kommuneplanens-samfunnsdel', status: 200, h1: 'Samfunnsdelen', content: true },
  { path: '/mal', status: 200, h1: 'Mål for Moss', title: 'Mål' },
  { path: '/sok?q=demens', status: 200, h1: 'Søk i planer og tiltak', title: 'Søk' },
  { path: '/sok', status: 200, h1: 'Søk i planer og tiltak', title: 'Søk' },
  { path: '/finnes-ikke', status: 404, h1: 'Vi finner ikke siden', title: 'Vi finner ikke siden' },
  { path: '/planer?tema=finnes-ikke', status: 400, h1: 'Forespørselen kan ikke behandles', title: 'Forespørselen kan ikke behandles' },
];
const LANGS = ['nb', 'nn', 'en'];
const TITLE_SUFFIX = /^(.+\S) – (\S.*)$/; // "<page> – <Moss kommune in the UI language>"

/** A context whose `lang` cookie picks the UI language, as /sprak would set it. */
async function withLangPage(lang, fn) {
  return withPage(browser, {}, async (page, context) => {
    await context.addCookies([{ name: 'lang', value: lang, url: server.url }]);
    return fn(page, context);
  });
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // The served HTML of every page in every language, validated by ONE run of vnu that works
  // while the browser tests run; each page's result is its own test at the end of the file.
  const docs = [];
  for (const lang of LANGS) {
    for (const p of PAGES) {
      const res = await fetch(server.url + p.path, { headers: { cookie: `lang=${lang}` }, signal: AbortSignal.timeout(WAIT) });
      docs.push({ name: `${lang} ${p.path}`, html: await res.text() });
    }
  }
  vnuReport = vnuErrors(docs);
  vnuReport.catch(() => {}); // reported by the tests that await it, not as unhandled
}, { timeout: 120000 });

after(async () => {
  // Both are stopped even if one of them fails; a failed server stop (exit status ≠ 0, e.g.
  // an ASan leak report) fails the file.
  await browser?.close().catch(() => {});
  if (vnuReport) await vnuReport.catch(() => {});
  await server?.stop();
}, { timeout: 300000 });

// ---------------------------------------------------------------- 1. every page loads

for (const lang of LANGS) {
  for (const p of PAGES) {
    test(`${lang} ${p.path}: status ${p.status}, <html lang>, <title> and <h1>`, T, async () => {
      await withLangPage(lang, async (page) => {
        const res = await page.goto(server.url + p.path);
        assert.equal(res.status(), p.status);
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        const h1s = await page.locator('h1').allInnerTexts();
        assert.equal(h1s.length, 1, `exactly one <h1>, got ${JSON.stringify(h1s)}`);
        const h1 = h1s[0].trim();
        const title = await page.title();
        const m = title.match(TITLE_SUFFIX);
        assert.ok(m, `title "${title}" is "<page> – <site>"`);
        assert.notEqual(m[1], 'planverk', `title "${title}" names the page, not the default`);
        assert.ok(h1.length > 2, `h1 "${h1}" is not empty`);
        if (p.content) {
          // Plan names are content: the same in every UI language, in both title and h1.
          assert.equal(h1, p.h1);
          assert.equal(m[1], p.h1);
        } else if (lang === 'nb') {
          assert.equal(h1, p.h1);
          assert.equal(m[1], p.title);
          assert.equal(m[2], 'Moss kommune');
        }
        if (p.path === '/sok?q=demens') {
          const hits = await page.locator('main .search-results li').count();
          assert.ok(hits > 0, 'the search for "demens" finds something');
        }
        // The page works without JavaScript and under the CSP: no script elements at all.
        assert.equal(await page.locator('script').count(), 0, 'no <script> in the page');
        // axe runs on this same load; its verdict is the next test's.
        axeFound.set(`${lang} ${p.path}`, await axeViolations(page));
      });
    });
  }
}

// ---------------------------------------------------------------- 2. axe-core

for (const lang of LANGS) {
  for (const p of PAGES) {
    test(`${lang} ${p.path}: axe-core finds no WCAG 2.1 A/AA violation`, T, async () => {
      let violations = axeFound.get(`${lang} ${p.path}`);
      if (!violations) { // the load test failed before axe ran: load the page again
        violations = await withLangPage(lang, async (page) => {
          const res = await page.goto(server.url + p.path);
          assert.equal(res.status(), p.status);
          return axeViolations(page);
        });
      }
      assert.equal(violations.length, 0, `axe violations on ${p.path} (${lang}):\n${formatViolations(violations)}`);
    });
  }
}

// ---------------------------------------------------------------- 4. keyboard only

/** What has the focus, and whether the focus indicator is drawn (outline or box-shadow). */
function focusState(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body' };
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      text: (el.innerText || el.getAttribute('aria-label') || '').trim(),
      href: el.getAttribute('href'),
      inMain: !!el.closest('main'),
      inNav: el.closest('nav')?.className ?? null,
      visible: outline || shadow,
      style: `outline: ${cs.outlineStyle} ${cs.outlineWidth}; box-shadow: ${cs.boxShadow}`,
      describe: el.outerHTML.slice(0, 160),
    };
  });
}

/**
 * Presses `key` until the focused element matches `want`, at most `max` times. Every element
 * that gets the focus on the way must show it (WCAG 2.4.7).
 */
async function tabTo(page, want, { key = 'Tab', max = 400, label = 'target' } = {}) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focusState(page);
    assert.notEqual(f.tag, 'body', `focus fell back to <body> after ${i + 1} × ${key}`);
    assert.ok(f.visible, `focus is not visible on ${f.describe} (${f.style})`);
    seen.push(f.text || f.tag);
    if (want(f)) return f;
  }
  assert.fail(`no ${label} after ${max} × ${key}; focus went through: ${seen.slice(-30).join(' | ')}`);
}

test('keyboard only: skip link, menu, a plan, and back by the breadcrumb, with visible focus', T, async () => {
  await withPage(browser, {}, async (page) => {
    await page.goto(server.url + '/');
    // 1. The first Tab reaches the skip link, which becomes visible, and Enter moves into <main>.
    const skip = await tabTo(page, () => true, { max: 1, label: 'first focusable' });
    assert.equal(skip.href, '#innhold', `the first Tab stop is the skip link, got ${skip.describe}`);
    assert.ok(await page.locator('a.ds-skip-link').isVisible(), 'the focused skip link is visible');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'innhold');
    const inMain = await tabTo(page, () => true, { max: 1, label: 'focusable after the skip link' });
    assert.ok(inMain.inMain, `after the skip link, Tab continues inside <main>: ${inMain.describe}`);

    // 2. Back up to the main menu and its "Planer" link.
    await tabTo(page, (f) => f.inNav === 'site-nav' && f.href === '/planer',
      { key: 'Shift+Tab', max: 30, label: 'the "Planer" menu link' });
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/planer');
    assert.equal(await page.locator('h1').innerText(), 'Planer i Moss kommune');

    // 3. Through the filters and tables to the plan "Slik vil vi leve hele livet".
    await tabTo(page, (f) => f.text === 'Slik vil vi leve hele livet' && f.inMain,
      { label: 'the link to Slik vil vi leve hele livet' });
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/planer/leve-hele-livet');
    assert.equal(await page.locator('h1').innerText(), 'Slik vil vi leve hele livet');
    assert.ok(await page.locator('table.cost-table').isVisible(), 'the plan page shows its cost table');

    // 4. Back to the list by the breadcrumb, still by keyboard alone.
    await tabTo(page, (f) => f.inNav === 'breadcrumbs' && f.href === '/planer',
      { max: 40, label: 'the "Planer" breadcrumb' });
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/planer');
    assert.equal(await page.locator('h1').innerText(), 'Planer i Moss kommune');
  });
});

// ---------------------------------------------------------------- 5. language

test('language switch: Nynorsk sets <html lang="nn">, the cookie persists, English gives "en"', T, async () => {
  await withPage(browser, {}, async (page, context) => {
    await page.goto(server.url + '/');
    assert.equal(await page.getAttribute('html', 'lang'), 'nb');
    await page.locator('nav.lang-switch').getByRole('link', { name: 'Nynorsk' }).click();
    await page.locator('html[lang="nn"]').waitFor({ state: 'attached' });
    assert.equal(new URL(page.url()).pathname, '/', '/sprak sends the reader back where they were');
    const cookie = (await context.cookies(server.url)).find((c) => c.name === 'lang');
    assert.equal(cookie?.value, 'nn');
    assert.ok(cookie.httpOnly, 'the lang cookie is HttpOnly');
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal(await page.locator('nav.lang-switch a[aria-current="true"]').innerText(), 'Nynorsk');

    // The next page (reached through the menu) is nynorsk too: the cookie persists.
    await page.locator('nav.site-nav a[href="/planer"]').click();
    await page.waitForURL((u) => u.pathname === '/planer');
    assert.equal(await page.getAttribute('html', 'lang'), 'nn');

    await page.locator('nav.lang-switch').getByRole('link', { name: 'English' }).click();
    await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
    assert.equal(new URL(page.url()).pathname, '/planer');
    await page.goto(server.url + '/mal');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
  });
});

for (const [accept, lang] of [['en-GB,en;q=0.9', 'en'], ['nn', 'nn'], ['pl', 'nb']]) {
  test(`language: a first visit with Accept-Language "${accept}" gets <html lang="${lang}">`, T, async () => {
    await withPage(browser, { extraHTTPHeaders: { 'Accept-Language': accept } }, async (page) => {
      const res = await page.goto(server.url + '/');
      assert.equal(res.status(), 200);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.equal(res.headers()['content-language'], lang);
    });
  });
}

// ---------------------------------------------------------------- 6. the facts on the pages

test('Leve hele livet: yearly sums 3 910, 2 960, 3 090 and 3 610 for 2023–2026', T, async () => {
  await withPage(browser, {}, async (page) => {
    await page.goto(server.url + '/planer/leve-hele-livet');
    const table = page.locator('table.cost-table');
    const years = await table.locator('thead th.num').allInnerTexts();
    assert.deepEqual(years.map((s) => s.trim()), ['2023', '2024', '2025', '2026']);
    // textContent, not innerText: the no-break space must survive as U+00A0.
    const sums = await table.locator('tfoot td').allTextContents();
    assert.deepEqual(sums.map((s) => s.trim()), [`3${NBSP}910`, `2${NBSP}960`, `3${NBSP}090`, `3${NBSP}610`]);
  });
});

test('Leve hele livet: a cost note like «Innenfor ramme» is visible in a measure\'s cell', T, async () => {
  await withPage(browser, {}, async (page) => {
    await page.goto(server.url + '/planer/leve-hele-livet');
    const note = page.locator('table.measure-table td .cost-note', { hasText: /^Innenfor ramme/ }).first();
    assert.ok(await note.isVisible(), 'a note «Innenfor ramme» is visible');
    assert.ok(await note.evaluate((el) => el.closest('td').classList.contains('num')), 'the note sits in a year cell');
  });
});

test('Leve hele livet: the five focus areas with the headings of the plan', T, async () => {
  await withPage(browser, {}, async (page) => {
    await page.goto(server.url + '/planer/leve-hele-livet');
    const areas = page.locator('section.focus-area');
    const names = await areas.locator('h3').allInnerTexts();
    assert.deepEqual(names.map((s) => s.trim()), ['Et aldersvennlig Moss', 'Aktivitet og fellesskap',
      'Mat og måltider', 'Helsehjelp', 'Sammenheng i tjenestene']);
    for (let i = 0; i < 5; i++) {
      const headings = (await areas.nth(i).locator('h4').allInnerTexts()).map((s) => s.trim());
      for (const h of ['Slik vil vi ha det', 'Slik kommer vi dit', 'Slik gjør vi det']) {
        assert.ok(headings.includes(h), `focus area ${names[i]} has the heading «${h}» (has ${headings.join(', ')})`);
      }
    }
  });
});

test('/planer: counts per status at the top, and «ikke oppgitt» where data are missing', T, async () => {
  await withPage(browser, {}, async (page) => {
    await page.goto(server.url + '/planer');
    const counts = {};
    for (const li of await page.locator('ul.status-counts li').all()) {
      counts[(await li.locator('.status-counts__label').innerText()).trim()] =
        Number(await li.locator('.status-counts__number').innerText());
    }
    assert.equal(counts.vedtatt, 30, `status counts: ${JSON.stringify(counts)}`);
    assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), 58, 'the counts add up to all 58 plans');
    // The counts come before the list of plans.
    const first = await page.evaluate(() => {
      const c = document.querySelector('ul.status-counts');
      const t = document.querySelector('table.plan-table');
      return !!(c.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    assert.ok(first, 'the status counts stand above the plan tables');
    const missing = page.locator('table.plan-table .not-given');
    assert.ok(await missing.count() > 0, 'missing data are marked');
    assert.equal((await missing.first().innerText()).trim(), 'ikke oppgitt');
  });
});

for (const javaScriptEnabled of [true, false]) {
  test(`/planer: filtering by theme with the form (select + button) works, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, T, async () => {
    await withPage(browser, { javaScriptEnabled }, async (page) => {
      const theme = 'levekar-folkehelse-og-livskvalitet';
      await page.goto(server.url + '/planer');
      // The plans of that theme as the unfiltered list shows them.
      const expected = await page.locator(`section#tema-${theme}, section[aria-labelledby="tema-${theme}"]`)
        .locator('tbody th a').allInnerTexts();
      assert.ok(expected.length > 1, 'the theme has plans');
      const option = (await page.locator(`#filter-tema option[value="${theme}"]`).innerText()).trim();
      const m = option.match(/^(.*) \((\d+)\)$/);
      assert.ok(m, `option text "${option}" is "<theme> (<count>)"`);
      assert.equal(Number(m[2]), expected.length);

      await page.locator('#filter-tema').selectOption(theme);
      await Promise.all([
        page.waitForURL((u) => u.pathname === '/planer' && u.searchParams.get('tema') === theme),
        page.locator('form.filters button[type="submit"]').click(),
      ]);
      const groups = await page.locator('section.plan-group h2').allInnerTexts();
      assert.deepEqual(groups.map((s) => s.trim()), [m[1]], 'only the chosen theme is shown');
      const shown = await page.locator('section.plan-group tbody th a').allInnerTexts();
      assert.deepEqual(shown, expected);
      assert.equal(await page.locator('#filter-tema').inputValue(), theme, 'the form keeps the choice');
      assert.match(await page.locator('.result-count').innerText(), new RegExp(`\\b${expected.length}\\b.*\\b58\\b`));
    });
  });
}

test('/mal: the vision, the three hovedmål and the full-time indicator of helse og mestring', T, async () => {
  await withPage(browser, {}, async (page) => {
    await page.goto(server.url + '/mal');
    const vision = page.locator('li.goal--visjon');
    assert.equal(await vision.count(), 1);
    assert.equal((await vision.locator(':scope > .goal__text').innerText()).trim(),
      'Mangfoldige Moss – skapende, varmere, grønnere');
    const main = (await vision.locator(':scope > ul > li.goal--hovedmal > .goal__text').allInnerTexts()).map((s) => s.trim());
    assert.deepEqual(main, [
      'I Moss er alle inkludert og opplever tilhørighet, trygghet og mestring',
      'I Moss har vi et bærekraftig næringsliv med nyskaping og høy arbeidsdeltakelse for alle grupper av befolkningen',
      'I Moss tar vi ansvar for våre ressurser, vår natur og det globale klimaet slik at framtidens generasjoner kan ha minst like god livskvalitet som oss',
    ]);
    const indicator = page.locator('li.indicator', { hasText: 'jobber heltid' }).first();
    assert.match(await indicator.locator('.indicator__text').innerText(), /helse og mestring/);
    const values = {};
    for (const div of await indicator.locator('dl.indicator__values > div').all()) {
      values[(await div.locator('dt').innerText()).trim()] = (await div.locator('dd').innerText()).trim();
    }
    assert.equal(values.Utgangspunkt, '33,5', JSON.stringify(values));
    assert.equal(values['Målverdi'], 'over 50 innen 2024', JSON.stringify(values));
  });
});

// ---------------------------------------------------------------- 7. Markdown safety

test('Markdown safety: <script>, javascript: links and event handlers in a purpose come out inert', T, async () => {
  // A server of its own, so the extra plan changes no count that the other tests check.
  const own = await startServer();
  const dir = mkdtempSync(path.join(tmpdir(), 'planverk-md-'));
  try {
    const id = 'farlig-formal';
    const purpose = [
      'Formålet er trygt å vise.',
      '',
      '<script>alert("script")</script>',
      '',
      '[Klikk her](javascript:alert("link")) og [også her](JaVaScRiPt:alert("case")) og <javascript:alert("auto")>',
      '',
      '<a href="javascript:alert(\'raw\')">rå lenke</a> <img src="x" onerror="alert(\'img\')">',
      '',
      '<iframe src="javascript:alert(\'frame\')"></iframe> [data](data:text/html,<script>alert(1)</script>)',
      '',
      '![bilde](javascript:alert("image"))',
    ].join('\n');
    await withPage(browser, {}, async (page) => {
      const dialogs = [];
      page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
      // The server is running and has served the list before the import…
      await page.goto(own.url + '/planer');
      assert.equal(await page.locator(`a[href="/planer/${id}"]`).count(), 0);

      const file = path.join(dir, 'plans.json');
      writeFileSync(file, JSON.stringify([{ id, name: 'Plan med farlig formål', purpose }]));
      // Options before the file: `import FILE --db DB` is refused by the CLI (see the report).
      const imported = cli(['import', '--db', own.db, file]);
      assert.equal(imported.status, 0, `import failed: ${imported.stderr}`);

      // …and notices the change (a write by another process shows within 100 ms: the server
      // polls SQLite's data_version at most that often), so reload until it does, bounded.
      let listed = 0;
      for (let attempt = 0; attempt < 200 && listed === 0; attempt++) {
        await page.goto(own.url + '/planer');
        listed = await page.locator(`a[href="/planer/${id}"]`).count();
      }
      assert.equal(listed, 1, 'the running server lists the imported plan');
      const res = await page.goto(own.url + `/planer/${id}`);
      assert.equal(res.status(), 200, 'the running server shows the imported plan');
      assert.equal(await page.locator('h1').innerText(), 'Plan med farlig formål');
      const prose = page.locator('.prose');
      assert.match(await prose.innerText(), /Formålet er trygt å vise\./);
      const found = await page.evaluate(() => ({
        scripts: document.querySelectorAll('script').length,
        jsUrls: [...document.querySelectorAll('[href], [src], [action], [formaction]')]
          .map((el) => el.getAttribute('href') ?? el.getAttribute('src') ?? el.getAttribute('action') ?? el.getAttribute('formaction'))
          .filter((v) => /^\s*(javascript|data|vbscript):/i.test(v)),
        handlers: [...document.querySelectorAll('*')]
          .flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}[${a.name}]`)),
        embeds: document.querySelectorAll('iframe, object, embed, frame').length,
      }));
      assert.equal(found.scripts, 0, 'no <script> element from the purpose');
      assert.deepEqual(found.jsUrls, [], 'no javascript:/data: URL in any link or source');
      assert.deepEqual(found.handlers, [], 'no event handler attributes');
      assert.equal(found.embeds, 0, 'no iframe, object or embed from the purpose');
      for (const link of await prose.locator('a').all()) {
        const href = await link.getAttribute('href');
        assert.ok(href === null || href === '' || /^(https?:|\/|#)/.test(href), `inert link href: ${href}`);
      }
      // Following what is left of the javascript: link runs nothing either.
      const link = prose.getByRole('link', { name: 'Klikk her' });
      if (await link.count()) {
        await link.click();
        await page.waitForLoadState('load');
      }
      assert.deepEqual(dialogs, [], 'no dialog fired');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await own.stop();
  }
});

// ---------------------------------------------------------------- 3. the Nu Html Checker

for (const lang of LANGS) {
  for (const p of PAGES) {
    test(`${lang} ${p.path}: the Nu Html Checker finds no error`, { timeout: 300000 }, async () => {
      const report = await vnuReport;
      const errors = report.get(`${lang} ${p.path}`);
      assert.ok(errors, 'the page was checked');
      assert.equal(errors.length, 0, `vnu errors in ${p.path} (${lang}):\n${formatVnuErrors(errors)}`);
    });
  }
}
