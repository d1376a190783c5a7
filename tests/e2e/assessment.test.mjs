// Assessing inputs, in a real Chromium with JavaScript off against a real server: three
// inputs come in through the public API; an advisor adds a process owner as a member of the
// process; the owner opens the inbox, assesses one input alone (refused first without a
// justification, nothing stored, the text kept), revises it (the old assessment stays in the
// history), and assesses two others together by ticking them in the inbox (a plain GET form);
// the inbox then filters by outcome. The assessments API answers 201 and 422 (links outside
// the process's plan). axe-core and the Nu Html Checker judge every state of every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, WAIT, withPage, navigate, open } from './lib/server.mjs';
import { judgeInto, assertValidHtml } from './lib/check.mjs';
import { addUser, signIn, sessionOf, csrfOf } from './lib/staff.mjs';

const T = { timeout: 120000 };
const NO_JS = { javaScriptEnabled: false };
const ADVISOR = { email: 'rita.radgiver@moss.kommune.no', name: 'Rita Rådgiver', password: 'rita har et langt passord' };
const OWNER = { email: 'olav.eier@moss.kommune.no', name: 'Olav Eier', password: 'olav har et langt passord' };
const SLUG = 'horing-medvirkningsplan';
const INBOX = `/arbeid/prosesser/${SLUG}/innspill`;
const TEXTS = [
  'Tilbakemeldingene etter høringen kom for sent. Alle som svarer bør få vite hva som skjedde med innspillet.',
  'Vi vil ha svar på innspillene våre, også når de ikke blir tatt til følge.',
  'Det bør være tolk på folkemøtene.',
];

let server;
let browser;
const docs = [];
const judge = judgeInto(docs, { noScript: true, jsOff: true });
const ids = [];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  addUser(server, ADVISOR, 'radgiver');
  addUser(server, OWNER, 'prosesseier');
  for (const text of TEXTS) {
    const res = await fetch(`${server.url}/api/v1/processes/${SLUG}/inputs`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text, themes: ['Oppfølging'] }), signal: AbortSignal.timeout(WAIT),
    });
    assert.equal(res.status, 201, await res.text());
  }
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await server?.stop();
}, { timeout: 60000 });

async function getJson(p, session) {
  const res = await fetch(server.url + p, {
    headers: { Accept: 'application/json', Cookie: `pv_session=${session}` }, redirect: 'manual',
    signal: AbortSignal.timeout(WAIT),
  });
  assert.equal(res.status, 200, p);
  return res.json();
}

test('the advisor makes the process owner a member', T, async () => {
  await withPage(browser, NO_JS, async (page) => {
    await signIn(server, page, ADVISOR);
    await open(server, page, `/arbeid/prosesser/${SLUG}/medlemmer`);
    await page.selectOption('#f-user_id', { label: `${OWNER.name} (${OWNER.email})` });
    await navigate(page, () => page.getByRole('button', { name: 'Legg til' }).click());
    assert.match(await page.locator('ul.staff-members').innerText(), /Olav Eier/);
  });
});

test('the owner assesses one input alone, is refused without a justification, and revises it', T, async () => {
  await withPage(browser, NO_JS, async (page, context) => {
    await signIn(server, page, OWNER);
    const session = await sessionOf(server, context);
    let res = await open(server, page, INBOX);
    await judge(page, 'inbox', res);
    const inbox = await getJson(INBOX, session);
    for (const t of TEXTS) ids.push(inbox.inputs.find((i) => i.text === t).id);
    assert.ok(inbox.inputs.every((i) => i.status === 'mottatt' && i.outcome === null));

    res = await navigate(page, () => page.locator(`#innspill-${ids[0]}`).getByRole('link', { name: /^Vurder/ }).click());
    assert.equal(new URL(page.url()).pathname, `${INBOX}/${ids[0]}/vurdering`);
    assert.match(await page.locator('h1').innerText(), new RegExp(`Vurdering av innspill ${ids[0]}`));
    assert.match(await page.inputValue('#f-summary'), /^Tilbakemeldingene etter høringen/); // prefilled
    await judge(page, 'assessment, new', res);

    // «ikke tatt til følge» without a justification: refused, the summary kept, nothing stored
    await page.fill('#f-summary', 'Ønsker svar på alle innspill.');
    await page.getByLabel('Ikke tatt til følge').check();
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre vurderingen' }).click());
    assert.equal(res.status(), 422);
    assert.match(await page.locator('#f-justification-feil').innerText(), /Skriv en begrunnelse/);
    assert.equal(await page.inputValue('#f-summary'), 'Ønsker svar på alle innspill.');
    assert.ok(await page.getByLabel('Ikke tatt til følge').isChecked());
    await judge(page, 'assessment, refused', res);
    let vm = await getJson(`${INBOX}/${ids[0]}/vurdering`, session);
    assert.equal(vm.current, null);

    await page.fill('#f-justification', 'Planen sier allerede at alle skal få svar.');
    await page.getByLabel('Allerede ivaretatt').check();
    // links into the plan of the process (Medvirkningsplanen): a focus area and a measure
    await page.locator('input[name="focus_area_ids"]').first().check();
    await page.locator('input[name="measure_ids"]').first().check();
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre vurderingen' }).click());
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('.ds-alert[data-color="success"]').innerText(), 'Vurderingen er lagret.');
    await judge(page, 'assessment, saved', res);
    vm = await getJson(`${INBOX}/${ids[0]}/vurdering`, session);
    assert.equal(vm.current.outcome, 'allerede ivaretatt');
    assert.equal(vm.current.summary, 'Ønsker svar på alle innspill.');
    assert.equal(vm.current.focus_areas.length, 1);
    assert.equal(vm.current.measures.length, 1);
    const first = vm.current.id;

    // a revision: a new assessment that replaces the first, which stays in the history
    await page.getByLabel('Tatt til følge', { exact: true }).check();
    await page.fill('#f-justification', '');
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre vurderingen' }).click());
    assert.equal(res.status(), 200);
    vm = await getJson(`${INBOX}/${ids[0]}/vurdering`, session);
    assert.equal(vm.current.outcome, 'tatt til følge');
    assert.equal(vm.current.replaces, first);
    assert.deepEqual(vm.history.map((a) => a.id), [first]);
    assert.match(await page.locator('.staff-assessment-history').innerText(), /Allerede ivaretatt/);
    await judge(page, 'assessment, revised with history', res);
  });
});

test('the owner assesses two inputs together from the inbox, and filters by outcome', T, async () => {
  await withPage(browser, NO_JS, async (page, context) => {
    await signIn(server, page, OWNER);
    const session = await sessionOf(server, context);
    await open(server, page, INBOX);
    await page.check(`#innspill-${ids[1]}-velg`);
    await page.check(`#innspill-${ids[2]}-velg`);
    let res = await navigate(page, () => page.getByRole('button', { name: 'Vurder valgte innspill samlet' }).click());
    const url = new URL(page.url());
    assert.equal(url.pathname, `/arbeid/prosesser/${SLUG}/vurdering`);
    assert.deepEqual(url.searchParams.getAll('innspill').map(Number).sort(), [ids[1], ids[2]].sort());
    assert.equal(await page.locator('h1').innerText(), 'Vurder 2 innspill samlet');
    await judge(page, 'group assessment', res);

    await page.getByLabel('Delvis tatt til følge').check();
    await page.fill('#f-justification', 'Svar gis til alle; tolk vurderes for hvert møte.');
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre vurderingen for alle 2' }).click());
    assert.equal(new URL(page.url()).pathname, INBOX);
    assert.equal(await page.locator('.ds-alert[data-color="success"]').innerText(), 'Vurderingen av 2 innspill er lagret.');
    await judge(page, 'inbox after group assessment', res);

    const a = await getJson(`${INBOX}/${ids[1]}/vurdering`, session);
    const b = await getJson(`${INBOX}/${ids[2]}/vurdering`, session);
    assert.equal(a.current.id, b.current.id); // one assessment for both
    assert.deepEqual(a.current.input_ids.sort(), [ids[1], ids[2]].sort());

    await page.selectOption('#f-utfall', 'delvis tatt til følge');
    res = await navigate(page, () => page.getByRole('button', { name: 'Vis', exact: true }).click());
    assert.equal(new URL(page.url()).searchParams.get('utfall'), 'delvis tatt til følge');
    const shown = await page.locator('ol.staff-inputs > li').evaluateAll((els) => els.map((e) => e.id));
    assert.deepEqual(shown.sort(), [`innspill-${ids[1]}`, `innspill-${ids[2]}`].sort());
    await judge(page, 'inbox filtered by outcome', res);
    const filtered = await getJson(`${INBOX}?utfall=${encodeURIComponent('tatt til følge')}`, session);
    assert.deepEqual(filtered.inputs.map((i) => i.id), [ids[0]]);
    const unassessed = await getJson(`${INBOX}?status=mottatt`, session);
    assert.equal(unassessed.inputs.length, 0);
  });
});

test('the group page without chosen inputs says so; an input of another process is not found', T, async () => {
  await withPage(browser, NO_JS, async (page) => {
    await signIn(server, page, OWNER);
    const res = await open(server, page, `/arbeid/prosesser/${SLUG}/vurdering`);
    assert.match(await page.locator('#f-input_ids').innerText(), /Velg ett eller flere innspill/);
    assert.equal(await page.locator('form.staff-form').count(), 0);
    await judge(page, 'group assessment, nothing chosen', res);
    await open(server, page, `/arbeid/prosesser/${SLUG}/vurdering?innspill=${ids[0]}&innspill=999999`, 404);
    await open(server, page, `${INBOX}/999999/vurdering`, 404);
  });
});

test('the assessments API: 201 with the id, 422 for a link outside the plan', T, async () => {
  await withPage(browser, NO_JS, async (page, context) => {
    await signIn(server, page, OWNER);
    const session = await sessionOf(server, context);
    await open(server, page, INBOX);
    const csrf = await csrfOf(page);
    const post = (body) => fetch(`${server.url}/api/v1/processes/${SLUG}/assessments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: `pv_session=${session}`, 'X-CSRF-Token': csrf },
      body: JSON.stringify(body), signal: AbortSignal.timeout(WAIT),
    });
    let res = await post({ input_ids: [ids[2]], outcome: 'utenfor mandat', measure_ids: ['finnes-ikke'] });
    // every error at once: the rules and the references
    assert.equal(res.status, 422);
    const problem = await res.json();
    assert.deepEqual(problem.errors.map((e) => e.field).sort(), ['justification', 'measure_ids']);
    res = await post({ input_ids: [ids[2]], outcome: 'utenfor mandat', justification: 'Gjelder ikke denne planen.' });
    assert.equal(res.status, 201);
    const created = await res.json();
    assert.ok(created.id > 0);
    const vm = await getJson(`${INBOX}/${ids[2]}/vurdering`, session);
    assert.equal(vm.current.id, created.id);
    assert.equal(vm.history.length, 1); // the group assessment it replaced
  });
});

test('every page state is valid HTML', T, async () => {
  await assertValidHtml(docs);
});
