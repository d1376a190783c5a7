// Taking part without an account, in a real Chromium against a real server (the ASan build
// under scripts/test): a citizen finds the demo hearing from the front page, sends an input
// with JavaScript OFF (area chosen from the list), gets a receipt with a code, opens the
// receipt link and sees the input and no contact data; with JavaScript ON the point is set on
// the map by keyboard alone (tiles never load: the tests are offline) and read out; a refused
// form shows the errors next to the fields and keeps the text; the honeypot and a closed
// process store nothing; the receipt is found by a typed code in any case without dashes,
// is never cached and never named in a Referer; the CSP allows exactly the tile origin.
// axe-core and the Nu Html Checker judge every page of the journey.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, withPage, navigate } from './lib/server.mjs';
import { judgeInto, assertValidHtml } from './lib/check.mjs';

const T = { timeout: 120000 };
const SLUG = 'horing-medvirkningsplan';
const CONCLUDED = 'leve-hele-livet-samskaping';
const CODE_RE = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/;

let server;
let browser;
const docs = []; // { name, html } of every page state, for one vnu run at the end
const judge = judgeInto(docs); // { jsOff: true } for a page loaded with JavaScript off

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await server?.stop(); // throws on a non-zero exit (a leak under ASan)
}, { timeout: 60000 });

async function inputCount() {
  const res = await fetch(`${server.url}/api/v1/processes/${SLUG}`);
  assert.equal(res.status, 200);
  return (await res.json()).process.input_count;
}

// ---------------------------------------------------------------- the headers

test('the CSP allows images from the tile origin and nothing else; a --map-tiles URL moves it', T, async () => {
  const res = await fetch(`${server.url}/medvirkning/${SLUG}`);
  const csp = res.headers.get('content-security-policy');
  const img = csp.split(';').map((s) => s.trim()).find((s) => s.startsWith('img-src'));
  assert.equal(img, "img-src 'self' data: https://cache.kartverket.no");
  assert.ok(!csp.includes('unsafe-inline'), csp);
  const other = await startServer({ extraArgs: ['--map-tiles', 'https://tiles.example.org:8443/v1/{z}/{x}/{y}.png'] });
  try {
    const res2 = await fetch(`${other.url}/medvirkning/${SLUG}`);
    const img2 = res2.headers.get('content-security-policy').split(';').map((s) => s.trim())
      .find((s) => s.startsWith('img-src'));
    assert.equal(img2, "img-src 'self' data: https://tiles.example.org:8443");
    assert.ok((await res2.text()).includes('data-tiles="https://tiles.example.org:8443/v1/{z}/{x}/{y}.png"'));
  } finally {
    await other.stop();
  }
});

// ---------------------------------------------------------------- without JavaScript

test('without JavaScript: from / to the hearing, an input with an area, a receipt without contact data', T, async () => {
  await withPage(browser, { javaScriptEnabled: false }, async (page) => {
    let res = await page.goto(server.url + '/');
    assert.equal(res.status(), 200);
    await judge(page, 'home', res, { jsOff: true });
    res = await navigate(page, () => page.click(`a[href="/medvirkning/${SLUG}"]`));
    assert.equal(new URL(page.url()).pathname, `/medvirkning/${SLUG}`);
    await judge(page, 'process (JS off)', res, { jsOff: true });
    assert.match(await page.textContent('main'), /Dette er en demonstrasjon/);
    assert.match(await page.textContent('.process-facts'), /dager igjen/);
    const current = page.locator('.ladder [aria-current="step"]');
    assert.equal(await current.count(), 1);
    assert.match(await current.textContent(), /Konsultasjon[\s\S]*Denne prosessen/);
    assert.equal(await page.locator('.ladder li').count(), 5);
    assert.equal(await page.locator('#kart-blokk').isVisible(), false, 'no map without JavaScript');

    const before = await inputCount();
    const text = 'Kommunen bør holde møter på kveldstid, ikke bare på dagtid.\nDa kan flere delta.';
    await page.fill('#f-text', text);
    await page.check('input[name="themes"][value="Gjennomføring av medvirkning"]');
    await page.selectOption('#f-place_area', 'Kambo');
    await page.selectOption('#f-age_group', '67–79');
    await page.fill('#f-email', 'eldre.innbygger@example.no');
    await page.check('#f-consent');
    res = await navigate(page, () => page.click('form.input-form button[type="submit"]'));
    assert.equal(res.status(), 200);
    const url = new URL(page.url());
    assert.match(url.pathname, /^\/kvittering\//);
    const code = (await page.textContent('.receipt-code')).trim();
    assert.match(code, CODE_RE);
    assert.equal(url.pathname, `/kvittering/${code}`);
    assert.equal(res.headers()['cache-control'], 'no-store');
    assert.equal(res.headers()['referrer-policy'], 'no-referrer');
    await judge(page, 'receipt', res, { jsOff: true });
    assert.equal(await inputCount(), before + 1);

    // the link, opened later in a fresh visit
    res = await page.goto(server.url + url.pathname);
    const main = await page.textContent('main');
    assert.ok(main.includes('Kommunen bør holde møter på kveldstid'), 'the text is on the receipt');
    assert.ok(main.includes('Kambo') && main.includes('Gjennomføring av medvirkning'));
    assert.match(main, /Mottatt/);
    assert.ok(!main.includes('eldre.innbygger@example.no'), 'no e-mail on the receipt');
    assert.ok(!main.includes('67–79'), 'no background answers on the receipt');
    const json = await (await fetch(`${server.url}/api/v1/receipts/${code.toLowerCase().replaceAll('-', '')}`)).text();
    assert.ok(json.includes('kveldstid') && !json.includes('example.no'), json);

    // not public before moderation
    const pub = await (await fetch(`${server.url}/api/v1/processes/${SLUG}`)).json();
    assert.ok(!JSON.stringify(pub).includes('kveldstid'), 'unmoderated input is not public');
    assert.ok(!JSON.stringify(pub).includes('example.no'));

    // the receipt's links send no Referer, even to our own site
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().endsWith(`/medvirkning/${SLUG}`)),
      page.click(`.facts a[href="/medvirkning/${SLUG}"]`),
    ]);
    assert.equal(request.headers().referer, undefined, 'no Referer from the receipt page');

    // typed by hand: lower case, spaces, no dashes
    res = await page.goto(server.url + '/kvittering');
    await judge(page, 'receipt lookup', res, { jsOff: true });
    await page.fill('#f-kode', code.toLowerCase().replaceAll('-', ' '));
    res = await navigate(page, () => page.click('form.receipt-form button'));
    assert.equal(new URL(page.url()).pathname, `/kvittering/${code}`);
    res = await page.goto(server.url + '/kvittering/ABCD-EFGH-JKMN-PQRS-TVWX');
    assert.equal(res.status(), 404);
    assert.equal(res.headers()['cache-control'], 'no-store');
    await judge(page, 'receipt not found', res, { jsOff: true });
    assert.match(await page.textContent('main'), /Sjekk at koden er skrevet riktig/);
  });
});

test('a refused form shows each error next to its field, keeps the text, and stores nothing', T, async () => {
  await withPage(browser, { javaScriptEnabled: false }, async (page) => {
    await page.goto(`${server.url}/medvirkning/${SLUG}`);
    const before = await inputCount();
    const text = 'Teksten min skal ikke forsvinne – æøå.';
    await page.fill('#f-text', text);
    await page.fill('#f-email', 'ikke-en-adresse');
    await page.fill('#f-place_text', 'x'.repeat(301));
    const res = await navigate(page, () => page.click('form.input-form button[type="submit"]'));
    assert.equal(res.status(), 422);
    await judge(page, 'process form with errors', res, { jsOff: true });
    assert.equal(await page.inputValue('#f-text'), text);
    assert.equal(await page.inputValue('#f-email'), 'ikke-en-adresse');
    assert.match(await page.textContent('#f-email-feil'), /navn@eksempel\.no/);
    assert.match(await page.textContent('#f-consent-feil'), /Kryss av/);
    assert.match(await page.textContent('#f-place_text-feil'), /300 tegn/);
    assert.equal(await page.getAttribute('#f-email', 'aria-invalid'), 'true');
    assert.match(await page.getAttribute('#f-email', 'aria-describedby'), /f-email-feil/);
    assert.equal(await page.locator('#feiloppsummering li').count(), 3);
    assert.equal(await page.getAttribute('#feiloppsummering a[href="#f-email"]', 'href'), '#f-email');
    assert.equal(await inputCount(), before);

    // an empty text
    await page.fill('#f-text', '');
    await page.fill('#f-email', '');
    await page.fill('#f-place_text', '');
    const res2 = await navigate(page, () => page.click('form.input-form button[type="submit"]'));
    assert.equal(res2.status(), 422);
    assert.match(await page.textContent('#f-text-feil'), /Skriv innspillet ditt/);
    assert.equal(await inputCount(), before);
  });
});

test('the honeypot, a closed process and the API store nothing they should not', T, async () => {
  const before = await inputCount();
  const form = new URLSearchParams({ text: 'Kjøp billige klokker', nettside: 'http://spam.example' });
  let res = await fetch(`${server.url}/medvirkning/${SLUG}`, { method: 'POST', body: form, redirect: 'manual' });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /et felt som skal stå tomt/);
  assert.equal(await inputCount(), before);

  // the honeypot is hidden from people and from assistive technology
  await withPage(browser, {}, async (page) => {
    await page.goto(`${server.url}/medvirkning/${SLUG}`);
    assert.equal(await page.locator('#f-nettside').isVisible(), false);
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.hp')).display), 'none',
      'display: none hides it from assistive technology too');
    assert.equal(await page.getAttribute('#f-nettside', 'tabindex'), '-1');
  });

  // a concluded process: no form, and a POST is refused with a clear message
  res = await fetch(`${server.url}/medvirkning/${CONCLUDED}`);
  const html = await res.text();
  assert.ok(!html.includes('name="text"'), 'no form on a concluded process');
  assert.match(html, /564 innspill/);
  res = await fetch(`${server.url}/medvirkning/${CONCLUDED}`, { method: 'POST', body: new URLSearchParams({ text: 'For sent' }) });
  assert.equal(res.status, 409);
  assert.match(await res.text(), /Fristen for innspill er ute/);
  const api = await fetch(`${server.url}/api/v1/processes/${CONCLUDED}/inputs`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'For sent' }),
  });
  assert.equal(api.status, 409);
  assert.equal(api.headers.get('content-type'), 'application/problem+json');
  const concluded = await (await fetch(`${server.url}/api/v1/processes/${CONCLUDED}`)).json();
  assert.equal(concluded.process.input_count, 0);

  // the API: 201 with code and URL; 422 with the field problems
  const ok = await fetch(`${server.url}/api/v1/processes/${SLUG}/inputs`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: 'Innspill via SMS', channel: 'sms', themes: ['Oppfølging'] }),
  });
  assert.equal(ok.status, 201);
  const body = await ok.json();
  assert.match(body.code, CODE_RE);
  assert.equal(body.url, `/kvittering/${body.code}`);
  assert.equal(ok.headers.get('location'), body.url);
  const bad = await fetch(`${server.url}/api/v1/processes/${SLUG}/inputs`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: 'x', themes: ['Finnes ikke'], email: 'a@b.no' }),
  });
  assert.equal(bad.status, 422);
  const problem = await bad.json();
  assert.deepEqual(problem.errors.map((e) => e.field).sort(), ['consent', 'themes']);
  assert.equal(await inputCount(), before + 1);
});

// ---------------------------------------------------------------- with JavaScript

test('with JavaScript: the point is set on the map by keyboard and read out; the receipt shows it', T, async () => {
  await withPage(browser, {}, async (page) => {
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const res = await page.goto(`${server.url}/medvirkning/${SLUG}`);
    await page.locator('#kart-blokk').waitFor({ state: 'visible' });
    await page.locator('#kart.leaflet-container').waitFor();
    await judge(page, 'process (JS on, map)', res);
    assert.equal(await page.textContent('#kart-status'), 'Ingen punkt valgt');
    // reach the map with the keyboard: Tab from the last field before it
    await page.focus('#f-themes-3');
    let guard = 0;
    while (!(await page.evaluate(() => document.activeElement?.id === 'kart')) && guard++ < 20) {
      await page.keyboard.press('Tab');
    }
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'kart', 'the map takes focus with Tab');
    await page.keyboard.press('ArrowRight'); // places the marker in the middle
    const first = [await page.inputValue('#f-lat'), await page.inputValue('#f-lon')].map(Number);
    assert.ok(first[0] > 59 && first[0] < 60 && first[1] > 10 && first[1] < 11, String(first));
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowLeft');
    const lat = Number(await page.inputValue('#f-lat'));
    const lon = Number(await page.inputValue('#f-lon'));
    assert.ok(lat > first[0], 'ArrowUp moves north');
    assert.ok(lon < first[1] || lon === first[1] - 0, 'ArrowLeft moves west');
    const said = await page.textContent('#kart-status');
    assert.ok(said.includes(lat.toFixed(5)) && said.includes(lon.toFixed(5)), said);
    assert.equal(await page.getAttribute('#kart-status', 'aria-live'), 'polite');
    assert.equal(await page.locator('.leaflet-marker-icon').count(), 1);

    await page.fill('#f-text', 'Det trengs en benk her, der bakken er bratt.');
    await page.fill('#f-phone', '+47 912 34 567');
    await page.check('#f-consent');
    const receipt = await navigate(page, () => page.click('form.input-form button[type="submit"]'));
    assert.equal(receipt.status(), 200);
    assert.match(new URL(page.url()).pathname, /^\/kvittering\//);
    await judge(page, 'receipt (JS on)', receipt);
    const main = await page.textContent('main');
    assert.ok(main.includes(lat.toFixed(5).replace(/0+$/, '')), `the point is on the receipt: ${main}`);
    assert.ok(!main.includes('912 34 567'), 'no phone number on the receipt');
    assert.deepEqual(errors, []);
  });
});

test('/medvirkning lists the open hearing with days left and the concluded process with its figure', T, async () => {
  await withPage(browser, { javaScriptEnabled: false }, async (page) => {
    const res = await page.goto(server.url + '/medvirkning');
    assert.equal(res.status(), 200);
    assert.equal(await page.getAttribute('.site-nav a[href="/medvirkning"]', 'aria-current'), 'page');
    await judge(page, 'participation', res, { jsOff: true });
    const open = await page.textContent('section[aria-labelledby="apne"]');
    assert.match(open, /Høring: Medvirkningsplan 2024–2030/);
    assert.match(open, /\d+ dager igjen/);
    const done = await page.textContent('section[aria-labelledby="avsluttet"]');
    assert.match(done, /Samskaping om Leve hele livet/);
    assert.match(done, /564 innspill/);
    assert.match(done, /pop-up bydelslab på Kambo/);
    const res2 = await page.goto(`${server.url}/medvirkning/${CONCLUDED}`);
    await judge(page, 'process (concluded)', res2, { jsOff: true });
  });
  const list = await (await fetch(server.url + '/api/v1/processes')).json();
  assert.equal(list.open[0].id, SLUG);
  assert.equal(list.concluded[0].registered_inputs, 564);
});

test('the Nu Html Checker finds no error on any page of the journey', T, async () => {
  assert.ok(docs.length >= 8, `pages kept: ${docs.length}`);
  await assertValidHtml(docs);
});
