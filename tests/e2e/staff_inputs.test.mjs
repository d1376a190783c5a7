// The staff's registering and moderation of inputs, in a real Chromium against a real server
// (the ASan build under scripts/test): a participation advisor (radgiver, made with the CLI)
// signs in, registers a letter (with contact data and a receipt code), is refused with clear
// messages when the date is in the future and the text is missing (nothing stored), registers
// a workshop's notes as three inputs sharing a batch (previewed first, without JavaScript),
// is stopped when the notes changed after the preview, filters the list, and publishes the
// letter — which then shows on the public process page, without its contact data, while the
// unmoderated notes do not. The form also arrives as multipart/form-data (the parser of
// src/http/multipart.c in the real pipeline); a file part is refused. A process owner who is
// not a member gets 403, an anonymous visitor the sign-in page. axe-core and the Nu Html
// Checker judge every state of both pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, WAIT, withPage, navigate, open, osloDay } from './lib/server.mjs';
import { judgeInto, assertValidHtml } from './lib/check.mjs';
import { addUser, signIn, sessionOf, csrfOf } from './lib/staff.mjs';

const T = { timeout: 120000 };
const ADVISOR = { email: 'rita.radgiver@moss.kommune.no', name: 'Rita Rådgiver', password: 'rita har et langt passord' };
const OUTSIDER = { email: 'per.prosesseier@moss.kommune.no', name: 'Per Prosesseier', password: 'per har et langt passord' };
const SLUG = 'horing-medvirkningsplan';
const BASE = `/arbeid/prosesser/${SLUG}/innspill`;
const LETTER = 'Brev fra pensjonistforeningen: møtene om planen bør holdes på dagtid, i lokaler med heis.';
const NOTES = ['Ungdommene vil ha flere møter på skolene.',
  'Kart på papir var lettere å bruke enn kart på nett.\nFlere savnet tolk.',
  'Møtene bør annonseres i lokalavisen.'];

let server;
let browser;
const docs = []; // { name, html }: every state of every page, for one run of vnu at the end
const judge = judgeInto(docs, { noScript: true });

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  addUser(server, ADVISOR, 'radgiver');
  addUser(server, OUTSIDER, 'prosesseier');
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await server?.stop(); // throws on a non-zero exit status (a leak under ASan)
}, { timeout: 60000 });

// ---------------------------------------------------------------- helpers

async function get(p, session) {
  const headers = { Accept: 'application/json' };
  if (session) headers.Cookie = `pv_session=${session}`;
  const res = await fetch(server.url + p, { headers, redirect: 'manual', signal: AbortSignal.timeout(WAIT) });
  const text = await res.text();
  return { status: res.status, text, json: /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined };
}

/** The staff list of the process as JSON (the same view-model as the page). */
async function staffList(session, query = '') {
  const res = await get(BASE + query, session);
  assert.equal(res.status, 200, res.text);
  return res.json;
}

const state = {};

// ---------------------------------------------------------------- tests

test('anonymous visitors are sent to sign in; a process owner who is not a member gets 403', T, async () => {
  const res = await fetch(server.url + BASE, { redirect: 'manual', signal: AbortSignal.timeout(WAIT) });
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/logg-inn\?til=/);
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, OUTSIDER);
    await open(server, page, BASE, 403);
    await open(server, page, BASE + '/ny', 403);
  });
});

test('the advisor registers a letter with contact data and gets a receipt code', T, async () => {
  await withPage(browser, {}, async (page, context) => {
    await signIn(server, page, ADVISOR);
    state.session = await sessionOf(server, context);
    const before = await staffList(state.session);
    assert.equal(before.counts.total, 0);
    let res = await open(server, page, BASE);
    assert.match(await page.locator('h1').innerText(), /^Innspill: .*Medvirkningsplan/);
    await judge(page, 'inputs list, empty', res);

    res = await navigate(page, () => page.getByRole('link', { name: 'Registrer et innspill' }).first().click());
    assert.equal(new URL(page.url()).pathname, BASE + '/ny');
    assert.equal(await page.inputValue('#f-received_on'), osloDay(0)); // today by default
    await judge(page, 'input form, empty', res);

    await page.selectOption('#f-channel', 'brev');
    await page.fill('#f-received_on', osloDay(-3));
    await page.selectOption('#f-sender_type', 'organisasjon');
    await page.fill('#f-on_behalf_of', 'Moss pensjonistforening');
    await page.fill('#f-text', LETTER);
    await page.check('#f-themes-1'); // «Gjennomføring av medvirkning»
    await page.selectOption('#f-place_area', 'Kambo');
    await page.fill('#f-name', 'Kari Nordmann');
    await page.fill('#f-email', 'kari.nordmann@example.no');
    await page.check('#f-consent');
    res = await navigate(page, () => page.getByRole('button', { name: 'Registrer innspillet' }).click());
    assert.equal(res.status(), 200);
    const code = await page.locator('.receipt-code').innerText();
    assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    assert.equal(await page.inputValue('#f-text'), ''); // a fresh form for the next letter
    await judge(page, 'input form, saved', res);

    const after = await staffList(state.session);
    assert.equal(after.counts.total, 1);
    const letter = after.inputs[0];
    state.letterId = letter.id;
    assert.equal(letter.text, LETTER);
    assert.equal(letter.channel, 'brev');
    assert.equal(letter.sender_type, 'organisasjon');
    assert.equal(letter.on_behalf_of, 'Moss pensjonistforening');
    assert.equal(letter.received_on, osloDay(-3));
    assert.deepEqual(letter.themes, ['Gjennomføring av medvirkning']);
    assert.equal(letter.place_area, 'Kambo');
    assert.equal(letter.moderation, 'ny');
    assert.equal(letter.registered_by, ADVISOR.name);
    assert.equal(letter.batch, null);
    assert.deepEqual(letter.contact, { name: 'Kari Nordmann', email: 'kari.nordmann@example.no', phone: null, consent: true });

    // the receipt opens the input, without the contact data
    const receipt = await get(`/api/v1/receipts/${code.toLowerCase()}`);
    assert.equal(receipt.status, 200, receipt.text);
    assert.ok(receipt.text.includes(LETTER));
    assert.ok(!receipt.text.includes('kari.nordmann'));
  });
});

test('a refused form says what is wrong next to each field, keeps the text and stores nothing', T, async () => {
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, ADVISOR);
    await open(server, page, BASE + '/ny');
    await page.fill('#f-received_on', osloDay(2));
    await page.fill('#f-on_behalf_of', 'Eldrerådet');
    await page.fill('#f-email', 'ikke en adresse');
    const res = await navigate(page, () => page.getByRole('button', { name: 'Registrer innspillet' }).click());
    assert.equal(res.status(), 422);
    assert.equal(await page.locator('#f-channel-feil').innerText(), 'Velg kanalen innspillet kom gjennom.');
    assert.equal(await page.locator('#f-received_on-feil').innerText(), 'Datoen kan ikke være senere enn i dag.');
    assert.ok((await page.locator('#f-text-feil').innerText()).length > 0);
    assert.ok((await page.locator('#f-email-feil').innerText()).length > 0);
    assert.equal(await page.getAttribute('#f-received_on', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#f-on_behalf_of'), 'Eldrerådet'); // kept
    assert.equal(await page.inputValue('#f-received_on'), osloDay(2));
    assert.ok(await page.locator('#feiloppsummering a[href="#f-received_on"]').count());
    await judge(page, 'input form, refused', res);

    // an empty date
    await page.selectOption('#f-channel', 'telefon');
    await page.fill('#f-received_on', '');
    await page.fill('#f-text', 'Ringte om parkeringen.');
    await page.fill('#f-email', '');
    const r2 = await navigate(page, () => page.getByRole('button', { name: 'Registrer innspillet' }).click());
    assert.equal(r2.status(), 422);
    assert.equal(await page.locator('#f-received_on-feil').innerText(), 'Skriv datoen innspillet kom inn.');
    assert.equal(await page.locator('#f-text').inputValue(), 'Ringte om parkeringen.');
    assert.equal(await page.inputValue('#f-channel'), 'telefon');

    // a day that does not exist (a browser's date field never sends one; a script may)
    const res3 = await fetch(server.url + BASE + '/ny', {
      method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(WAIT),
      headers: { Cookie: `pv_session=${await sessionOf(server, page.context())}`, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: await csrfOf(page), mode: 'ett', channel: 'telefon', received_on: '2025-02-30', text: 'Ringte.' }).toString(),
    });
    assert.equal(res3.status, 422);
    const vm = await res3.json();
    assert.equal(vm.err.received_on, 'Skriv datoen som åååå-mm-dd, for eksempel 2025-03-14.');
    assert.equal(vm.values.text, 'Ringte.');
  });
  assert.equal((await staffList(state.session)).counts.total, 1); // nothing stored
});

test('a workshop\'s notes become three inputs with one batch, previewed first', T, async () => {
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, ADVISOR);
    let res = await open(server, page, BASE);
    res = await navigate(page, () => page.getByRole('link', { name: 'Registrer notater fra møte eller workshop' }).first().click());
    assert.equal(await page.locator('h1').innerText(), 'Registrer notater fra møte eller workshop');
    await judge(page, 'notes form, empty', res);

    // blank lines (also of spaces) between, around and doubled: they separate, never count
    const pasted = `\n\n  ${NOTES[0]}\n\n\n${NOTES[1]}\n   \n\t\n${NOTES[2]}\n\n`;
    await page.selectOption('#f-channel', 'workshop');
    await page.fill('#f-received_on', osloDay(-1));
    await page.fill('#f-notes', pasted);
    await page.check('#f-themes-1');
    res = await navigate(page, () => page.getByRole('button', { name: 'Forhåndsvis' }).click());
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('.staff-notes > li').count(), 3);
    assert.equal(await page.locator('#notat-2').innerText().then((t) => t.includes('Flere savnet tolk.')), true);
    assert.equal((await staffList(state.session)).counts.total, 1); // a preview stores nothing
    await judge(page, 'notes form, preview', res);

    // the notes change after the preview: the save is stopped and the new split shown
    await page.fill('#f-notes', pasted + 'En fjerde merknad.');
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre 3 innspill' }).click());
    assert.equal(res.status(), 422);
    assert.equal(await page.locator('.staff-notes > li').count(), 4);
    assert.ok((await page.locator('.ds-alert[data-color="warning"]').innerText()).includes('endret siden forhåndsvisningen'));
    assert.equal((await staffList(state.session)).counts.total, 1);
    await judge(page, 'notes form, changed after the preview', res);

    await page.fill('#f-notes', pasted);
    await navigate(page, () => page.getByRole('button', { name: 'Forhåndsvis' }).click());
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre 3 innspill' }).click());
    assert.equal(new URL(page.url()).pathname, BASE);
    assert.equal(new URL(page.url()).searchParams.get('registrert'), '3');
    assert.equal(await page.locator('.ds-alert[data-color="success"]').innerText(), '3 innspill er registrert.');
    await judge(page, 'inputs list, after the notes', res);
  });
  const list = await staffList(state.session, '?kanal=workshop');
  assert.equal(list.count, 3);
  const batches = new Set(list.inputs.map((i) => i.batch));
  assert.equal(batches.size, 1);
  assert.match([...batches][0], /^b-[0-9a-f]{16}$/);
  assert.deepEqual(list.inputs.map((i) => i.text).sort(), [...NOTES].sort());
  for (const i of list.inputs) {
    assert.equal(i.received_on, osloDay(-1));
    assert.deepEqual(i.themes, ['Gjennomføring av medvirkning']);
    assert.equal(i.contact, null);
    assert.equal(i.moderation, 'ny');
  }
  state.noteIds = list.inputs.map((i) => i.id);
});

test('publishing the letter shows it on the public page, without contact data; the notes stay hidden', T, async () => {
  const pub = async () => (await get(`/api/v1/processes/${SLUG}`)).text;
  assert.ok(!(await pub()).includes(LETTER)); // not before moderation
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, ADVISOR);
    await open(server, page, BASE);
    const form = page.locator(`#innspill-${state.letterId} form`);
    const res = await navigate(page, () => form.getByRole('button', { name: /^Publiser/ }).click());
    assert.equal(new URL(page.url()).searchParams.get('moderert'), '1');
    assert.equal(await page.locator(`#innspill-${state.letterId} dd`).first().innerText(), 'Publisert');
    await judge(page, 'inputs list, after moderation', res);
    // and one of the notes is rejected
    await navigate(page, () => page.locator(`#innspill-${state.noteIds[0]} form`).getByRole('button', { name: /^Avvis/ }).click());
  });
  const json = await pub();
  assert.ok(json.includes(LETTER));
  assert.ok(!json.includes('kari.nordmann') && !json.includes('Kari Nordmann'));
  for (const note of NOTES) assert.ok(!json.includes(JSON.stringify(note).slice(1, -1)), `unmoderated note public: ${note}`);
  const html = await (await fetch(`${server.url}/medvirkning/${SLUG}`, { signal: AbortSignal.timeout(WAIT) })).text();
  assert.ok(html.includes('møtene om planen bør holdes på dagtid'), 'the letter on the public page');
  assert.ok(!html.includes('kari.nordmann'));

  const counts = (await staffList(state.session)).counts;
  assert.deepEqual(counts, { total: 4, ny: 2, publisert: 1, avvist: 1 });
  assert.equal((await staffList(state.session, '?moderering=publisert')).inputs[0].id, state.letterId);
  // an unknown filter value is ignored, not an error
  assert.equal((await staffList(state.session, '?kanal=due&moderering=x')).count, 4);
});

test('moderation: an unknown state is refused; an input of another process is not found', T, async () => {
  await withPage(browser, {}, async (page, context) => {
    await signIn(server, page, ADVISOR);
    await open(server, page, BASE);
    const csrf = await csrfOf(page);
    const session = await sessionOf(server, context);
    const post = (p, body) => fetch(server.url + p, {
      method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(WAIT),
      headers: { Cookie: `pv_session=${session}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, ...body }).toString(),
    });
    assert.equal((await post(`${BASE}/${state.letterId}/moderering`, { moderation: 'slettet' })).status, 400);
    assert.equal((await post(`/arbeid/prosesser/leve-hele-livet-samskaping/innspill/${state.letterId}/moderering`, { moderation: 'avvist' })).status, 404);
    assert.equal((await post(`${BASE}/99999/moderering`, { moderation: 'avvist' })).status, 404);
    // without the CSRF token nothing changes
    const noCsrf = await fetch(server.url + `${BASE}/${state.letterId}/moderering`, {
      method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(WAIT),
      headers: { Cookie: `pv_session=${session}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'moderation=avvist',
    });
    assert.equal(noCsrf.status, 403);
  });
  assert.equal((await staffList(state.session, '?moderering=publisert')).count, 1);
});

test('the form also arrives as multipart/form-data; a file part is refused', T, async () => {
  await withPage(browser, {}, async (page, context) => {
    await signIn(server, page, ADVISOR);
    await open(server, page, BASE + '/ny');
    const csrf = await csrfOf(page);
    const session = await sessionOf(server, context);
    const send = (fd) => fetch(server.url + BASE + '/ny', {
      method: 'POST', redirect: 'manual', body: fd, signal: AbortSignal.timeout(WAIT),
      headers: { Cookie: `pv_session=${session}`, Accept: 'application/json' },
    });
    const fields = { csrf, mode: 'ett', action: 'save', channel: 'e-post', received_on: osloDay(0), sender_type: 'råd/utvalg', on_behalf_of: 'Ungdomsrådet', text: 'Uttalelse sendt som e-post: æøå «sitat» og linjeskift\r\nher.' };
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) fd.append(k, v);
    let res = await send(fd);
    assert.equal(res.status, 200, await res.clone().text());
    const vm = await res.json();
    assert.match(vm.saved.code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    const list = await staffList(state.session, '?kanal=e-post');
    assert.equal(list.count, 1);
    assert.equal(list.inputs[0].text, 'Uttalelse sendt som e-post: æøå «sitat» og linjeskift\nher.');
    assert.equal(list.inputs[0].sender_type, 'råd/utvalg');

    const withFile = new FormData();
    for (const [k, v] of Object.entries(fields)) withFile.append(k, v);
    withFile.append('vedlegg', new Blob(['%PDF-1.4'], { type: 'application/pdf' }), 'brev.pdf');
    res = await send(withFile);
    assert.equal(res.status, 400);
    assert.ok((await res.text()).includes('Vi tar ikke imot filer i dette skjemaet.'));
    assert.equal((await staffList(state.session, '?kanal=e-post')).count, 1); // nothing stored
  });
});

test('the Nu Html Checker finds no error on any state of the inputs pages', { timeout: 180000 }, async () => {
  assert.ok(docs.length >= 9, `only ${docs.length} page states were kept`);
  await assertValidHtml(docs);
});
