// The staff's editing of the portfolio, in a real Chromium against a real server (the ASan
// build under scripts/test): a planner signs in with the keyboard alone, edits a plan's status
// and purpose (previewing the Markdown first, without JavaScript), sees the change on the
// public page and the event in the plan's change history, which anonymous visitors never see;
// a refused form keeps what was typed and shows the error summary; a `leser` gets 403; the
// owner of a plan who is not a planner edits that plan and no other; focus areas are added,
// renamed, moved and given texts that the public page shows under their headings; goals are
// moved (a ring is refused), retired (hidden from /mal) and brought back; indicators are
// added. The JSON API (session cookie + X-CSRF-Token) creates and changes plans, goals and
// indicators: 200/201 answers and 422 problem objects validate against docs/api/openapi.json.
// axe-core and the Nu Html Checker judge every staff page added, with and without errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, WAIT, withPage, navigate, open } from './lib/server.mjs';
import { assertDeclared } from './lib/openapi.mjs';
import { judgeInto, assertValidHtml } from './lib/check.mjs';
import { addUser, signIn, sessionOf, csrfOf } from './lib/staff.mjs';

const T = { timeout: 120000 };
const PLANNER = { email: 'pia.planlegger@moss.kommune.no', name: 'Pia Planlegger', password: 'pia har et langt passord' };
const READER = { email: 'lars.leser@moss.kommune.no', name: 'Lars Leser', password: 'lars har et langt passord' };
const OWNER = { email: 'ola.eier@moss.kommune.no', name: 'Ola Eier', password: 'ola har et langt passord' };
const PLAN = 'leve-hele-livet';

let server;
let browser;
const ids = {};
const docs = []; // { name, html }: every state of every page, for one run of vnu at the end
const judge = judgeInto(docs, { noScript: true });

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ids.planner = addUser(server, PLANNER, 'planlegger');
  ids.reader = addUser(server, READER, 'leser');
  ids.owner = addUser(server, OWNER, 'prosesseier');
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await server?.stop(); // throws on a non-zero exit status (a leak under ASan)
}, { timeout: 60000 });

// ---------------------------------------------------------------- helpers

/** A JSON request with the session cookie (and its CSRF token for writes). */
async function api(method, p, { session, csrf, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (session) headers.Cookie = `pv_session=${session}`;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(server.url + p, { method, headers, redirect: 'manual', body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(WAIT) });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, headers: res.headers, json: /json/.test(type) ? JSON.parse(text) : undefined, text };
}

/** The public view-model of a plan as an anonymous visitor gets it. */
async function publicPlan(id) {
  const res = await api('GET', `/api/v1/plans/${id}`);
  assert.equal(res.status, 200);
  return res.json;
}


// ---------------------------------------------------------------- the focus, as in pages.test.mjs

function focusState(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body' };
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    return { tag: el.tagName.toLowerCase(), id: el.id, visible: outline || shadow, describe: el.outerHTML.slice(0, 160) };
  });
}

async function tabTo(page, want, { key = 'Tab', max = 60, label = 'target' } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focusState(page);
    assert.notEqual(f.tag, 'body', `focus fell back to <body> after ${i + 1} × ${key}`);
    assert.ok(f.visible, `focus is not visible on ${f.describe}`);
    if (want(f)) return f;
  }
  assert.fail(`no ${label} after ${max} × ${key}`);
}

// ---------------------------------------------------------------- 1. the planner's path

test('a planner signs in with the keyboard alone and opens the list of plans', T, async () => {
  await withPage(browser, {}, async (page) => {
    await open(server, page, '/logg-inn');
    await tabTo(page, (f) => f.id === 'signin-email', { label: 'the e-mail field' });
    await page.keyboard.type(PLANNER.email);
    await tabTo(page, (f) => f.id === 'signin-password', { max: 1, label: 'the password field' });
    await page.keyboard.type(PLANNER.password);
    await Promise.all([page.waitForURL((u) => u.pathname === '/arbeid'), page.keyboard.press('Enter')]);
    const res = await open(server, page, '/arbeid/planer');
    assert.equal(await page.locator('h1').innerText(), 'Rediger planer');
    assert.equal(await page.locator('table.staff-table tbody tr').count(), 58);
    await judge(page, '/arbeid/planer', res);
    // from the list to the form of one plan, by keyboard
    await tabTo(page, (f) => f.tag === 'a' && f.describe.includes(`href="/arbeid/planer/${PLAN}"`), { max: 400, label: 'the edit link' });
    await Promise.all([page.waitForURL((u) => u.pathname === `/arbeid/planer/${PLAN}`), page.keyboard.press('Enter')]);
    assert.equal(await page.locator('h1').innerText(), 'Rediger Slik vil vi leve hele livet');
  });
});

test('the planner previews the purpose, then saves status and purpose; the public page and the history show it', T, async () => {
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, PLANNER);
    let res = await open(server, page, `/arbeid/planer/${PLAN}`);
    await judge(page, 'plan form', res);
    assert.equal(await page.inputValue('#f-status'), 'vedtatt');
    await page.selectOption('#f-status', 'utgått');
    await page.fill('#f-purpose', 'Planen er **erstattet** av en ny plan.\n\n- første punkt\n- andre punkt');

    // the preview renders the Markdown, keeps the input, and saves nothing
    res = await navigate(page, () => page.getByRole('button', { name: 'Forhåndsvis' }).click());
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('.staff-preview .prose strong').innerText(), 'erstattet');
    assert.equal(await page.locator('.staff-preview .prose li').count(), 2);
    assert.equal(await page.inputValue('#f-status'), 'utgått', 'the preview keeps the chosen status');
    assert.match(await page.inputValue('#f-purpose'), /^Planen er \*\*erstattet\*\*/);
    await judge(page, 'plan form with preview', res);
    assert.equal((await publicPlan(PLAN)).plan.status, 'vedtatt', 'a preview saves nothing');

    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre' }).click());
    assert.equal(new URL(page.url()).search, '?lagret=1');
    assert.match(await page.locator('.ds-alert[data-color="success"]').innerText(), /lagret/);
    await judge(page, 'plan form after saving', res);

    // the public page, anonymously: the new status and purpose, no history, cacheable
    const anon = await fetch(`${server.url}/planer/${PLAN}`);
    const html = await anon.text();
    assert.match(html, /<strong>erstattet<\/strong>/);
    assert.doesNotMatch(html, /Endringshistorikk/, 'anonymous visitors see no change history');
    assert.equal(anon.headers.get('cache-control'), 'no-cache', 'the anonymous page stays cacheable');
    const detail = await publicPlan(PLAN);
    assert.equal(detail.plan.status, 'utgått');
    assert.equal(detail.staff, undefined, 'no staff data in the anonymous JSON');

    // signed in: the change history with the event, before → after
    res = await open(server, page, `/planer/${PLAN}`);
    const history = page.locator('section.staff-history');
    assert.equal(await history.locator('h2').innerText(), 'Endringshistorikk');
    const first = history.locator('ol > li').first();
    assert.match(await first.innerText(), /pia\.planlegger@moss\.kommune\.no: Planen ble endret/);
    assert.match(await first.innerText(), /Status: fra «vedtatt» til «utgått»/);
    assert.match(await first.innerText(), /Formål: fra «Hensikten med/);
    assert.equal(await first.locator('li').count(), 2, 'only the two fields that changed');
    await judge(page, 'public plan page with the change history', res);
    // Caches must tell the signed-in page from the anonymous one. (It should also say
    // Cache-Control: no-store; web/dispatch.c send_body() replaces that with no-cache on every
    // 200 — reported to the lead.)
    assert.match(res.headers()['vary'], /Cookie/);
  });
});

test('a refused form keeps the input, marks the fields and shows the error summary; nothing is stored', T, async () => {
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, PLANNER);
    await open(server, page, `/arbeid/planer/${PLAN}`);
    const before = await publicPlan(PLAN);
    await page.fill('#f-name', '');
    await page.fill('#f-adopted_year', '20x3');
    await page.fill('#f-owner_unit', 'Enhet for testing');
    await page.fill('#f-next_revision', '1500');
    const res = await navigate(page, () => page.getByRole('button', { name: 'Lagre' }).click());
    assert.equal(res.status(), 422);
    const summary = page.locator('.ds-error-summary');
    assert.ok(await summary.isVisible());
    const links = await summary.locator('a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
    assert.deepEqual(links.map((l) => l[0]), ['#f-name', '#f-adopted_year', '#f-next_revision']);
    assert.match(links[0][1], /Navn: Skriv navnet på planen/);
    for (const [href] of links) assert.equal(await page.locator(href).count(), 1, `${href} exists`);
    assert.equal(await page.getAttribute('#f-name', 'aria-invalid'), 'true');
    assert.match(await page.getAttribute('#f-adopted_year', 'aria-describedby'), /f-adopted_year-feil/);
    assert.equal(await page.locator('#f-adopted_year-feil').innerText(), 'Skriv et årstall mellom 1800 og 2200.');
    assert.equal(await page.inputValue('#f-adopted_year'), '20x3', 'the input is kept');
    assert.equal(await page.inputValue('#f-owner_unit'), 'Enhet for testing', 'the valid input is kept too');
    assert.match(await page.title(), /^Feil i skjemaet: /);
    await judge(page, 'plan form with errors', res);
    assert.deepEqual(await publicPlan(PLAN), before, 'nothing was stored');
  });
});

test('a new plan: a taken id is refused with a clear message, a free one is created', T, async () => {
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, PLANNER);
    let res = await open(server, page, '/arbeid/planer/ny');
    await judge(page, 'new plan form', res);
    await page.fill('#f-name', 'Leve hele livet');
    res = await navigate(page, () => page.getByRole('button', { name: 'Opprett planen' }).click());
    assert.equal(res.status(), 422);
    assert.match(await page.locator('#f-id-feil').innerText(), /finnes allerede en plan med id-en som navnet gir.*\(leve-hele-livet\)/);
    await judge(page, 'new plan form with errors', res);
    await page.fill('#f-id', 'leve-hele-livet-2');
    await page.check('#f-parent_ids-kommuneplanens-samfunnsdel');
    res = await navigate(page, () => page.getByRole('button', { name: 'Opprett planen' }).click());
    assert.equal(new URL(page.url()).pathname, '/arbeid/planer/leve-hele-livet-2');
    assert.match(await page.locator('.ds-alert').innerText(), /opprettet/);
    const created = await publicPlan('leve-hele-livet-2');
    assert.equal(created.plan.name, 'Leve hele livet');
    assert.deepEqual(created.parents.map((p) => p.id), ['kommuneplanens-samfunnsdel']);
  });
});

// ---------------------------------------------------------------- 2. who may edit

test('a leser gets 403 on the plan form and the plan list', T, async () => {
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, READER);
    for (const p of [`/arbeid/planer/${PLAN}`, '/arbeid/planer', '/arbeid/mal']) {
      const res = await page.goto(server.url + p);
      assert.equal(res.status(), 403, p);
    }
  });
});

test('the owner of a plan who is not a planner edits that plan and no other', T, async () => {
  // the planner makes Ola the owner of the Demensplan, in the form
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, PLANNER);
    await open(server, page, '/arbeid/planer/demensplan');
    await page.selectOption('#f-owner_user_id', String(ids.owner));
    await navigate(page, () => page.getByRole('button', { name: 'Lagre' }).click());
    assert.equal(new URL(page.url()).search, '?lagret=1');
  });
  await withPage(browser, {}, async (page, context) => {
    await signIn(server, page, OWNER);
    let res = await open(server, page, '/arbeid/planer/demensplan');
    await page.fill('#f-owner_unit', 'Helse og mestring');
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre' }).click());
    assert.equal(new URL(page.url()).search, '?lagret=1');
    assert.equal((await publicPlan('demensplan')).plan.owner_unit, 'Helse og mestring');
    res = await page.goto(`${server.url}/arbeid/planer/${PLAN}`);
    assert.equal(res.status(), 403, 'not another plan');
    res = await page.goto(`${server.url}/arbeid/planer`);
    assert.equal(res.status(), 403, 'not the list of every plan');
    const session = await sessionOf(server, context);
    const csrf = await csrfOf(page);
    assert.equal((await api('PATCH', '/api/v1/plans/demensplan', { session, csrf, body: { type: 'Temaplan' } })).status, 200);
    assert.equal((await api('PATCH', `/api/v1/plans/${PLAN}`, { session, csrf, body: { type: 'Temaplan' } })).status, 403);
    // the public page offers the owner an edit link for this plan only
    await open(server, page, '/planer/demensplan');
    assert.equal(await page.locator('section.staff-history a[href="/arbeid/planer/demensplan"]').count(), 1);
    await open(server, page, `/planer/${PLAN}`);
    assert.equal(await page.locator('section.staff-history a[href^="/arbeid/"]').count(), 0);
  });
});

// ---------------------------------------------------------------- 3. focus areas

test('focus areas: add, rename, move and write the four texts; the public page shows them', T, async () => {
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, PLANNER);
    let res = await open(server, page, `/arbeid/planer/${PLAN}/satsingsomrader`);
    await judge(page, 'focus areas', res);
    const names = () => page.locator('section.staff-area h2[id^="omrade-"]').allInnerTexts();
    const first = (await names())[0].replace(/^1\. /, '');

    // a name the plan has already: refused, the summary links to the field
    await page.fill('#nytt-omrade-name', first);
    res = await navigate(page, () => page.getByRole('button', { name: 'Legg til' }).click());
    assert.equal(res.status(), 422);
    assert.equal(await page.locator('.ds-error-summary a').getAttribute('href'), '#nytt-omrade-name');
    assert.equal(await page.inputValue('#nytt-omrade-name'), first);
    await judge(page, 'focus areas with an error', res);

    await page.fill('#nytt-omrade-name', 'Digital hverdag');
    await navigate(page, () => page.getByRole('button', { name: 'Legg til' }).click());
    let all = await names();
    assert.match(all[all.length - 1], /\d+\. Digital hverdag$/);
    const section = page.locator('section.staff-area', { has: page.locator('h2', { hasText: 'Digital hverdag' }) });
    await section.getByRole('button', { name: 'Flytt opp' }).click();
    await page.waitForLoadState();
    all = await names();
    assert.match(all[all.length - 2], /Digital hverdag$/, 'moved one place up');

    const moved = page.locator('section.staff-area', { has: page.locator('h2', { hasText: 'Digital hverdag' }) });
    const prefix = (await moved.getAttribute('id')) + '-';
    await page.fill(`#${prefix}name`, 'Digital hverdag for alle');
    await page.fill(`#${prefix}her_er_vi`, 'Mange eldre bruker nettbank.');
    await page.fill(`#${prefix}slik_vil_vi_ha_det`, 'Alle som vil, kan bruke digitale tjenester.');
    await page.fill(`#${prefix}slik_kommer_vi_dit`, 'Vi gir opplæring.');
    await page.fill(`#${prefix}slik_gjor_vi_det`, 'Kurs på biblioteket.');
    await navigate(page, () => moved.getByRole('button', { name: /^Lagre/ }).click());
    assert.ok((await names()).some((n) => n.endsWith('Digital hverdag for alle')));

    const detail = await publicPlan(PLAN);
    const area = detail.focus_areas.find((a) => a.name === 'Digital hverdag for alle');
    assert.deepEqual(area.headings.map((h) => h.text), ['Mange eldre bruker nettbank.',
      'Alle som vil, kan bruke digitale tjenester.', 'Vi gir opplæring.', 'Kurs på biblioteket.']);
    res = await open(server, page, `/planer/${PLAN}`);
    const pub = page.locator('section.focus-area', { has: page.locator('h3', { hasText: 'Digital hverdag for alle' }) });
    assert.equal(await pub.locator('h4 + p.heading-text').nth(1).innerText(), 'Alle som vil, kan bruke digitale tjenester.');
    const history = await page.locator('section.staff-history ol > li').allInnerTexts();
    assert.ok(history.some((h) => /Satsingsområde flyttet «Digital hverdag for alle»/.test(h)), 'the move is in the history');
    assert.ok(history.some((h) => /Satsingsområde lagt til/.test(h)));
  });
});

// ---------------------------------------------------------------- 4. goals and indicators

test('goals: the tree, a refused move (a ring), a move, retiring and bringing back', T, async () => {
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, PLANNER);
    let res = await open(server, page, '/arbeid/mal');
    await judge(page, 'goal tree', res);
    assert.ok(await page.locator('a[href="/arbeid/mal/moss2030-delmal-raust"]').count() === 1);

    // the vision under one of its own hovedmål: a ring, refused
    res = await open(server, page, '/arbeid/mal/moss2030-visjon');
    await page.selectOption('#f-parent_id', 'moss2030-hovedmal-1');
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre' }).click());
    assert.equal(res.status(), 422);
    assert.match(await page.locator('#f-parent_id-feil').innerText(), /under seg selv eller under et av sine egne undermål/);
    assert.match(await page.locator('.ds-error-summary').innerText(), /Overordnet mål: Et mål kan ikke ligge under seg selv/);

    // a hovedmål stands under a visjon only
    res = await open(server, page, '/arbeid/mal/moss2030-hovedmal-1');
    await judge(page, 'goal form', res);
    await page.selectOption('#f-parent_id', 'moss2030-hovedmal-2');
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre' }).click());
    assert.equal(res.status(), 422);
    assert.match(await page.locator('#f-parent_id-feil').innerText(), /Et hovedmål kan bare ligge under en visjon/);
    assert.equal(await page.inputValue('#f-parent_id'), 'moss2030-hovedmal-2', 'the choice is kept');
    await judge(page, 'goal form with errors', res);

    // move a delmål to another hovedmål
    res = await open(server, page, '/arbeid/mal/moss2030-delmal-raust');
    await page.selectOption('#f-parent_id', 'moss2030-hovedmal-2');
    await navigate(page, () => page.getByRole('button', { name: 'Lagre' }).click());
    assert.equal(new URL(page.url()).search, '?lagret=1');

    // retire: gone from /mal; bring back: there again
    await navigate(page, () => page.getByRole('button', { name: 'Trekk tilbake målet' }).click());
    res = await open(server, page, '/arbeid/mal/moss2030-delmal-raust');
    assert.match(await page.locator('.ds-alert[data-color="warning"]').innerText(), /trukket tilbake/);
    await judge(page, 'retired goal', res);
    let goals = await api('GET', '/api/v1/goals');
    assert.ok(!goals.text.includes('"moss2030-delmal-raust"'), 'a retired goal is not public');
    assert.equal(goals.json.goal_count, 48);
    res = await open(server, page, '/arbeid/mal');
    assert.match(await page.locator('li.staff-goal--retired').first().innerText(), /Trukket tilbake/i);
    await open(server, page, '/arbeid/mal/moss2030-delmal-raust');
    await navigate(page, () => page.getByRole('button', { name: 'Gjenopprett målet' }).click());
    goals = await api('GET', '/api/v1/goals');
    assert.ok(goals.text.includes('"moss2030-delmal-raust"'));

    // a hovedmål with sub-goals cannot be retired: the message is next to the button
    await open(server, page, '/arbeid/mal/moss2030-hovedmal-1');
    res = await navigate(page, () => page.getByRole('button', { name: 'Trekk tilbake målet' }).click());
    assert.equal(res.status(), 422);
    assert.match(await page.locator('#f-retired-feil').innerText(), /undermål som ikke er trukket tilbake/);
    await judge(page, 'goal form: retiring refused', res);

    // a new goal, under a hovedmål
    res = await open(server, page, '/arbeid/mal/ny?forelder=moss2030-hovedmal-3');
    await judge(page, 'new goal form', res);
    res = await navigate(page, () => page.getByRole('button', { name: 'Opprett målet' }).click());
    assert.equal(res.status(), 422, 'an empty text is refused');
    await judge(page, 'new goal form with errors', res);
    await page.fill('#f-text', 'Flere skal sykle til skolen');
    await navigate(page, () => page.getByRole('button', { name: 'Opprett målet' }).click());
    assert.equal(new URL(page.url()).pathname, '/arbeid/mal/flere-skal-sykle-til-skolen');
  });
});

test('indicators: a new one under a goal, and a refused change', T, async () => {
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, PLANNER);
    let res = await open(server, page, '/arbeid/mal/moss2030-delmal-raust/indikatorer/ny');
    await judge(page, 'new indicator form', res);
    assert.ok(await page.isChecked('#f-goal_ids-moss2030-delmal-raust'), 'the goal is ticked');
    await page.fill('#f-text', 'Andel som opplever Moss som et raust sted');
    await page.fill('#f-target_value', '80,5');
    await page.fill('#f-target_year', '2030');
    await page.selectOption('#f-comparator', '>=');
    await navigate(page, () => page.getByRole('button', { name: 'Opprett indikatoren' }).click());
    const url = new URL(page.url());
    assert.match(url.pathname, /^\/arbeid\/indikatorer\/ind-andel-som-opplever/);
    assert.equal(await page.inputValue('#f-target_value'), '80,5');
    res = await open(server, page, url.pathname);
    await judge(page, 'indicator form', res);
    await page.fill('#f-target_value', 'åtti');
    await page.fill('#f-baseline_year', '99');
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre' }).click());
    assert.equal(res.status(), 422);
    assert.equal(await page.locator('.ds-error-summary a').count(), 2);
    assert.equal(await page.inputValue('#f-target_value'), 'åtti');
    await judge(page, 'indicator form with errors', res);
  });
});

// ---------------------------------------------------------------- 5. the JSON API

test('API: PATCH a plan (200), invalid input (422 with errors[]), no CSRF token (403), as the document says', T, async () => {
  await withPage(browser, {}, async (page, context) => {
    await signIn(server, page, PLANNER);
    const session = await sessionOf(server, context);
    const csrf = await csrfOf(page);
    let res = await api('PATCH', '/api/v1/plans/medvirkningsplan', { session, csrf, body: { status: 'under arbeid', adopted_year: 2024 } });
    assert.equal(res.status, 200, res.text);
    assertDeclared('/api/v1/plans/{slug}', 'patch', res);
    assert.equal(res.json.plan.status, 'under arbeid');
    assert.equal(res.json.plan.next_revision, 2028);
    assert.equal(res.json.staff.history[0].action, 'plan.update');

    res = await api('PATCH', '/api/v1/plans/medvirkningsplan', { session, csrf,
      body: { name: '', adopted_year: 1700, parent_ids: ['medvirkningsplan'], farge: 'blå' } });
    assert.equal(res.status, 422);
    assert.match(res.type, /^application\/problem\+json/);
    assertDeclared('/api/v1/plans/{slug}', 'patch', res);
    assert.deepEqual(res.json.errors.map((e) => e.field).sort(), ['adopted_year', 'farge', 'name', 'parent_ids']);

    // a ring of plans: leve-hele-livet is anchored in kommuneplanens-samfunnsdel
    res = await api('PATCH', '/api/v1/plans/kommuneplanens-samfunnsdel', { session, csrf, body: { parent_ids: [PLAN] } });
    assert.equal(res.status, 422);
    assert.match(res.json.errors[0].message, /ring.*kommuneplanens-samfunnsdel → leve-hele-livet → kommuneplanens-samfunnsdel/);

    res = await api('PATCH', '/api/v1/plans/medvirkningsplan', { session, body: { status: 'vedtatt' } });
    assert.equal(res.status, 403, 'a session write without its CSRF token');
    res = await api('PATCH', '/api/v1/plans/medvirkningsplan', { body: { status: 'vedtatt' } });
    assert.equal(res.status, 401);
    assertDeclared('/api/v1/plans/{slug}', 'patch', res);
    res = await api('PATCH', '/api/v1/plans/finnes-ikke', { session, csrf, body: { status: 'vedtatt' } });
    assert.equal(res.status, 404);
  });
});

test('API: create a plan, a goal and an indicator (201 + Location), retire the goal', T, async () => {
  await withPage(browser, {}, async (page, context) => {
    await signIn(server, page, PLANNER);
    const session = await sessionOf(server, context);
    const csrf = await csrfOf(page);
    let res = await api('POST', '/api/v1/plans', { session, csrf, body: { name: 'Sykkelstrategi', type: 'Strategiplan', theme_id: 'areal-og-transport' } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers.get('location'), '/api/v1/plans/sykkelstrategi');
    assertDeclared('/api/v1/plans', 'post', res);
    assert.equal((await api('GET', res.headers.get('location'))).json.plan.name, 'Sykkelstrategi');
    res = await api('POST', '/api/v1/plans', { session, csrf, body: { name: 'Sykkelstrategi' } });
    assert.equal(res.status, 422);
    assertDeclared('/api/v1/plans', 'post', res);

    res = await api('POST', '/api/v1/goals', { session, csrf, body: { text: 'Flere sykler', level: 'delmål', parent_id: 'moss2030-hovedmal-3', plan_id: 'sykkelstrategi' } });
    assert.equal(res.status, 201, res.text);
    assertDeclared('/api/v1/goals', 'post', res);
    const goal = res.headers.get('location');
    assert.equal(goal, '/api/v1/goals/flere-sykler');
    res = await api('GET', goal, { session });
    assert.equal(res.status, 200);
    assertDeclared('/api/v1/goals/{id}', 'get', res);
    assert.equal(res.json.goal.parent_id, 'moss2030-hovedmal-3');
    // the goal serves its plan: it is the plan's own goal
    const plan = await publicPlan('sykkelstrategi');
    assert.deepEqual(plan.goals.map((g) => [g.id, g.basis]), [['flere-sykler', 'eier']]);

    res = await api('POST', `${goal}/indicators`, { session, csrf, body: { text: 'Andel som sykler til skolen', target_value: 40, target_year: 2030 } });
    assert.equal(res.status, 201, res.text);
    assertDeclared('/api/v1/goals/{id}/indicators', 'post', res);
    assert.deepEqual(res.json.indicator.goal_ids, ['flere-sykler']);
    const ind = res.headers.get('location');
    res = await api('PATCH', ind, { session, csrf, body: { comparator: '>=' } });
    assert.equal(res.status, 200);
    assertDeclared('/api/v1/indicators/{id}', 'patch', res);
    res = await api('PATCH', ind, { session, csrf, body: { comparator: '=' } });
    assert.equal(res.status, 422);
    assertDeclared('/api/v1/indicators/{id}', 'patch', res);

    res = await api('PATCH', goal, { session, csrf, body: { parent_id: 'moss2030-visjon' } });
    assert.equal(res.status, 422, 'a delmål under a visjon');
    assertDeclared('/api/v1/goals/{id}', 'patch', res);
    res = await api('PATCH', goal, { session, csrf, body: { retired: true } });
    assert.equal(res.status, 200);
    assertDeclared('/api/v1/goals/{id}', 'patch', res);
    assert.equal(res.json.goal.retired, true);
    assert.ok(!(await api('GET', '/api/v1/goals')).text.includes('"flere-sykler"'));

    // the audit trail has one event per change, with the right actions
    res = await api('GET', '/api/v1/plans/sykkelstrategi', { session });
    assert.equal(res.json.staff.history.at(-1).action, 'plan.create');
  });
});

test('API: a form body or no body gets 415; a reader gets 403', T, async () => {
  await withPage(browser, {}, async (page, context) => {
    await signIn(server, page, READER);
    const session = await sessionOf(server, context);
    const csrf = await csrfOf(page);
    const res = await api('PATCH', `/api/v1/plans/${PLAN}`, { session, csrf, body: { status: 'vedtatt' } });
    assert.equal(res.status, 403);
    assertDeclared('/api/v1/plans/{slug}', 'patch', res);
  });
  await withPage(browser, {}, async (page, context) => {
    await signIn(server, page, PLANNER);
    const session = await sessionOf(server, context);
    const csrf = await csrfOf(page);
    const res = await fetch(`${server.url}/api/v1/goals`, { method: 'POST', headers: { Cookie: `pv_session=${session}`, 'X-CSRF-Token': csrf } });
    assert.equal(res.status, 415);
  });
});

// ---------------------------------------------------------------- 6. the Nu Html Checker

test('the Nu Html Checker finds no error on any staff page state', { timeout: 180000 }, async () => {
  assert.ok(docs.length >= 15, `only ${docs.length} page states were collected`);
  await assertValidHtml(docs);
});
