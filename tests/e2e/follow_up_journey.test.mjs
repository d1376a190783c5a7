// One journey of following up, end to end, in a real Chromium with JavaScript off against a
// real server that sends e-mail to a real SMTP server (aiosmtpd on a free loopback port,
// --smtp-url, fast retries): 24 citizens send inputs through the public API (each from its
// own address behind the trusted proxy, to pass the rate limit) in bokmål, nynorsk and
// English, half of them with an e-mail address and consent; one who gives an address without
// consent is refused; an advisor registers a letter (with an address, without consent) in
// the browser and makes a process owner a member. The owner assesses one input alone and two
// together in the browser and the rest through the assessments API in groups, closes the
// hearing (til behandling) and sends feedback to all 25 senders at once on the bulk page.
// Then every sender who gave an address and consent has exactly one e-mail, nobody else has
// one, every receipt shows its feedback, the merknadsbehandling (page and CSV) covers every
// input, and the public summary counts all 25. axe-core and the Nu Html Checker judge every
// state of the bulk page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, WAIT, withPage, navigate, open, osloDay } from './lib/server.mjs';
import { judgeInto, assertValidHtml } from './lib/check.mjs';
import { addUser, signIn, sessionOf, csrfOf } from './lib/staff.mjs';

const T = { timeout: 180000 };
const NO_JS = { javaScriptEnabled: false };
const ADVISOR = { email: 'rita.radgiver@moss.kommune.no', name: 'Rita Rådgiver', password: 'rita har et langt passord' };
const OWNER = { email: 'olav.eier@moss.kommune.no', name: 'Olav Eier', password: 'olav har et langt passord' };
const SLUG = 'horing-medvirkningsplan';
const INBOX = `/arbeid/prosesser/${SLUG}/innspill`;
const BULK = `/arbeid/prosesser/${SLUG}/tilbakemelding`;
const LANGS = ['nb', 'nn', 'en'];
const LETTER = 'Brev fra Jeløy vel: vi ønsker et eget møte om turveiene på Jeløy.';
const LETTER_EMAIL = 'jeloy.vel@example.no';

let server;
let browser;
let smtp;
let smtpPort;
let mailDir;
const docs = [];
const judge = judgeInto(docs, { noScript: true, jsOff: true });
const senders = []; // { text, code, email (with consent) or null, id }
const state = {};

// ---------------------------------------------------------------- the SMTP server

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function waitListening(port, deadline = Date.now() + WAIT) {
  for (;;) {
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => { c.destroy(); resolve(true); });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The messages received so far: [{ to, body (decoded) }]. */
function mails() {
  const dir = path.join(mailDir, 'maildir', 'new');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().map((f) => {
    const raw = readFileSync(path.join(dir, f), 'latin1');
    const split = raw.search(/\r?\n\r?\n/);
    const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
    const headers = {};
    for (const line of head.split(/\r?\n/)) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    return { to: headers.to, body: Buffer.from(raw.slice(split).replace(/\s+/g, ''), 'base64').toString('utf8') };
  });
}

// ---------------------------------------------------------------- helpers

function sql(statement) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', server.db, statement], { encoding: 'utf8' }).trim();
}

async function getJson(p, session, headers = {}) {
  const res = await fetch(server.url + p, {
    headers: { Accept: 'application/json', ...(session ? { Cookie: `pv_session=${session}` } : {}), ...headers },
    redirect: 'manual', signal: AbortSignal.timeout(WAIT),
  });
  assert.equal(res.status, 200, p);
  return res.json();
}

/** A citizen's input through the public API, from its own address behind the proxy. */
function submit(i, body) {
  return fetch(`${server.url}/api/v1/processes/${SLUG}/inputs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `198.51.100.${i + 1}` },
    body: JSON.stringify({ themes: ['Oppfølging'], ...body }), signal: AbortSignal.timeout(WAIT),
  });
}

/** A minimal RFC 4180 parser. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

// ---------------------------------------------------------------- set-up

before(async () => {
  mailDir = mkdtempSync(path.join(tmpdir(), 'planverk-mail-'));
  smtpPort = await freePort();
  const child = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`,
    '-c', 'aiosmtpd.handlers.Mailbox', path.join(mailDir, 'maildir')], { stdio: ['ignore', 'ignore', 'pipe'] });
  smtp = { child, exited: new Promise((resolve) => child.on('exit', resolve)) };
  await waitListening(smtpPort);
  server = await startServer({ extraArgs: ['--smtp-url', `smtp://127.0.0.1:${smtpPort}`, '--mail-from', 'ikke-svar@moss.kommune.no',
    '--outbox-retry-base', '1', '--trusted-proxy', '127.0.0.1'] });
  browser = await launchBrowser();
  addUser(server, ADVISOR, 'radgiver');
  addUser(server, OWNER, 'prosesseier');
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  if (smtp) { smtp.child.kill('SIGTERM'); await smtp.exited; }
  await server?.stop(); // throws on a non-zero exit status (a leak under ASan)
  if (mailDir) rmSync(mailDir, { recursive: true, force: true });
}, { timeout: 60000 });

// ---------------------------------------------------------------- the journey

test('24 citizens send inputs through the API; an address without consent is refused', T, async () => {
  const refused = await submit(99, { text: 'Uten samtykke.', email: 'nei@example.no', consent: false });
  assert.equal(refused.status, 422);
  for (let i = 0; i < 24; i++) {
    const language = LANGS[i % 3];
    const text = `Innspill ${i + 1} om oppfølging etter høringen (${language}).`;
    const email = i % 2 === 0 ? `innbygger${i + 1}@example.no` : null;
    const res = await submit(i, { text, language, ...(email ? { email, consent: true, name: `Innbygger ${i + 1}` } : {}) });
    assert.equal(res.status, 201, await res.clone().text());
    senders.push({ text, email, code: (await res.json()).code });
  }
  assert.equal(sql(`SELECT count(*) FROM input WHERE process_id = '${SLUG}'`), '24');
});

test('the advisor registers a letter with an address but no consent, and makes the owner a member', T, async () => {
  await withPage(browser, NO_JS, async (page) => {
    await signIn(server, page, ADVISOR);
    await open(server, page, `${INBOX}/ny`);
    await page.selectOption('#f-channel', 'brev');
    await page.fill('#f-received_on', osloDay(-2));
    await page.fill('#f-text', LETTER);
    await page.fill('#f-email', LETTER_EMAIL);
    let res = await navigate(page, () => page.getByRole('button', { name: 'Registrer innspillet' }).click());
    assert.equal(res.status(), 200);
    senders.push({ text: LETTER, email: null, code: await page.locator('.receipt-code').innerText() });
    await open(server, page, `/arbeid/prosesser/${SLUG}/medlemmer`);
    await page.selectOption('#f-user_id', { label: `${OWNER.name} (${OWNER.email})` });
    await navigate(page, () => page.getByRole('button', { name: 'Legg til' }).click());
    assert.match(await page.locator('ul.staff-members').innerText(), /Olav Eier/);
  });
  assert.equal(sql(`SELECT count(*) FROM contact WHERE email = '${LETTER_EMAIL}' AND consent = 0`), '1');
});

test('the owner assesses one alone and two together in the browser, the rest through the API, and closes the hearing', T, async () => {
  await withPage(browser, NO_JS, async (page, context) => {
    await signIn(server, page, OWNER);
    const session = state.session = await sessionOf(server, context);
    const inbox = await getJson(INBOX, session);
    for (const s of senders) s.id = inbox.inputs.find((i) => i.text === s.text).id;
    assert.equal(inbox.inputs.length, 25);
    const ids = senders.map((s) => s.id);

    // one alone
    await open(server, page, INBOX);
    await navigate(page, () => page.locator(`#innspill-${ids[0]}`).getByRole('link', { name: /^Vurder/ }).click());
    await page.fill('#f-justification', 'Vi svarer alle som har gitt innspill.');
    await page.getByLabel('Tatt til følge', { exact: true }).check();
    let res = await navigate(page, () => page.getByRole('button', { name: 'Lagre vurderingen' }).click());
    assert.ok(res.status() < 400);

    // two together, ticked in the inbox
    await open(server, page, INBOX);
    await page.check(`#innspill-${ids[1]}-velg`);
    await page.check(`#innspill-${ids[2]}-velg`);
    await navigate(page, () => page.getByRole('button', { name: 'Vurder valgte innspill samlet' }).click());
    await page.getByLabel('Delvis tatt til følge').check();
    await page.fill('#f-justification', 'Delvis: svar gis på nett og på e-post.');
    res = await navigate(page, () => page.getByRole('button', { name: 'Lagre vurderingen for alle 2' }).click());
    assert.ok(res.status() < 400);

    // the rest through the API, in groups of five or fewer
    await open(server, page, INBOX);
    const csrf = await csrfOf(page);
    const outcomes = ['tatt til følge', 'delvis tatt til følge', 'ikke tatt til følge', 'utenfor mandat', 'allerede ivaretatt'];
    const rest = ids.slice(3);
    for (let g = 0; g * 5 < rest.length; g++) {
      const api = await fetch(`${server.url}/api/v1/processes/${SLUG}/assessments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: `pv_session=${session}`, 'X-CSRF-Token': csrf },
        body: JSON.stringify({ input_ids: rest.slice(g * 5, g * 5 + 5), outcome: outcomes[g % 5], justification: `Vurdering ${g + 1} for en gruppe innspill.` }),
        signal: AbortSignal.timeout(WAIT),
      });
      assert.equal(api.status, 201, await api.text());
    }
    assert.equal(sql(`SELECT count(*) FROM input WHERE process_id = '${SLUG}' AND status = 'vurdert' AND assessment_id IS NOT NULL`), '25');

    // the hearing is over: til behandling (the owner may do this, or the advisor)
    const form = await getJson(`/arbeid/prosesser/${SLUG}`, session);
    if (form.process.status === 'åpen') {
      await open(server, page, `/arbeid/prosesser/${SLUG}`);
      res = await navigate(page, () => page.locator('button[name="status"][value="til behandling"]').click());
      assert.ok(res.status() < 400);
    }
    assert.equal(sql(`SELECT status FROM process WHERE id = '${SLUG}'`), 'til behandling');
  });
});

test('the owner sends feedback to all 25 senders at once on the bulk page', T, async () => {
  await withPage(browser, NO_JS, async (page) => {
    await signIn(server, page, OWNER);
    await open(server, page, INBOX);
    let res = await navigate(page, () => page.getByRole('link', { name: 'Tilbakemelding til alle som venter' }).click());
    assert.equal(new URL(page.url()).pathname, BULK);
    await judge(page, 'bulk feedback, 25 waiting', res);
    assert.equal(await page.locator('li.feedback-bulk__item').count(), 25);
    assert.match(await page.locator('#oversikt').innerText(), /Avsendere som får tilbakemelding: 25\. Av dem får 12 også en e-post/);
    // each text comes from the template in the sender's language
    const vm = await getJson(BULK, state.session);
    assert.equal(vm.count, 25);
    assert.equal(vm.emails, 12);
    const nn = senders.find((s) => / \(nn\)\.$/.test(s.text));
    assert.match(vm.items.find((i) => i.id === nn.id).language_label, /nynorsk/);
    assert.equal(sql('SELECT count(*) FROM feedback'), '0');

    res = await navigate(page, () => page.getByRole('button', { name: 'Send tilbakemelding til 25 avsendere' }).click());
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).search, '?sendt=25');
    await judge(page, 'bulk feedback, sent', res);
    assert.match(await page.locator('#sendt').innerText(), /antall: 25/);
    assert.equal(await page.locator('#ingen').count(), 1);
    assert.equal(await page.locator('li.feedback-bulk__item').count(), 0);
  });
  assert.equal(sql('SELECT count(*) FROM feedback'), '25');
  assert.equal(sql(`SELECT count(*) FROM input WHERE process_id = '${SLUG}' AND status = 'tilbakemeldt'`), '25');
  assert.equal(sql("SELECT count(*) FROM audit_event WHERE action = 'feedback.create'"), '25');
  assert.equal(sql('SELECT count(*) FROM outbox'), '12');
  // the languages of the texts are the senders'
  assert.equal(sql(`SELECT count(*) FROM feedback f JOIN input i ON i.id = f.input_id WHERE f.language <> i.language`), '0');
});

test('every sender with an address and consent gets exactly one e-mail, nobody else', T, async () => {
  const wanted = senders.filter((s) => s.email).map((s) => s.email).sort();
  assert.equal(wanted.length, 12);
  const deadline = Date.now() + 60000;
  while (mails().length < wanted.length) {
    if (Date.now() > deadline) throw new Error(`${mails().length} e-mails of ${wanted.length}; server log:\n${server.stderr().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // and the outbox has nothing left to send (so no e-mail is still on its way)
  while (sql('SELECT count(*) FROM outbox WHERE sent_at IS NULL') !== '0') {
    if (Date.now() > deadline) throw new Error('the outbox did not empty');
    await new Promise((r) => setTimeout(r, 100));
  }
  const got = mails();
  assert.deepEqual(got.map((m) => m.to).sort(), wanted);
  assert.ok(!got.some((m) => m.to === LETTER_EMAIL));
  const first = got.find((m) => m.to === senders[0].email);
  assert.ok(first.body.length > 20);
});

test('every receipt shows its feedback', T, async () => {
  assert.equal(senders.length, 25);
  for (const s of senders) {
    const r = await getJson(`/api/v1/receipts/${s.code}`);
    assert.ok(r.feedback && r.feedback.text.length > 0, `feedback on the receipt of ${s.text}`);
    assert.ok(!JSON.stringify(r).includes('@example.no'));
  }
});

test('the merknadsbehandling covers every input, on the page and as CSV; the summary counts 25', T, async () => {
  const MERKNAD = `/arbeid/prosesser/${SLUG}/merknadsbehandling`;
  const vm = await getJson(MERKNAD, state.session);
  const ids = vm.rows.flatMap((r) => r.input_ids);
  assert.deepEqual([...ids].sort((a, b) => a - b), senders.map((s) => s.id).sort((a, b) => a - b));
  // one row per assessment: 1 alone + 1 for two + ceil(22 / 5) groups
  assert.equal(vm.rows.length, 1 + 1 + 5);
  assert.equal(vm.not_assessed, 0);
  await withPage(browser, NO_JS, async (page) => {
    await signIn(server, page, OWNER);
    await open(server, page, MERKNAD);
    assert.equal(await page.locator('table.merknad-table tbody tr').count(), vm.rows.length);
  });
  const res = await fetch(server.url + MERKNAD + '.csv', { headers: { Cookie: `pv_session=${state.session}` }, signal: AbortSignal.timeout(WAIT) });
  assert.equal(res.status, 200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const rows = parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.slice(3))).filter((r) => r.length > 1);
  assert.equal(rows.length, 1 + vm.rows.length);
  for (const r of rows) assert.equal(r.length, rows[0].length);
  const summary = await getJson(`/medvirkning/${SLUG}/oppsummering`);
  assert.equal(summary.total, 25);
  assert.equal(summary.outcomes.reduce((n, o) => n + o.count, 0), 25);
});

test('the bulk page is for staff who may give feedback', T, async () => {
  const anon = await fetch(server.url + BULK, { redirect: 'manual', signal: AbortSignal.timeout(WAIT) });
  assert.equal(anon.status, 303);
  await withPage(browser, NO_JS, async (page) => {
    await signIn(server, page, OWNER);
    // not a member of that process
    await open(server, page, `/arbeid/prosesser/leve-hele-livet-samskaping/tilbakemelding`, 403);
  });
  await withPage(browser, NO_JS, async (page) => {
    await signIn(server, page, ADVISOR);
    await open(server, page, `/arbeid/prosesser/finnes-ikke/tilbakemelding`, 404);
    // nothing waits any more: the page says so; a POST now sends nothing and says why
    const res = await open(server, page, BULK);
    await judge(page, 'bulk feedback, none waiting', res);
    assert.match(await page.locator('#ingen').innerText(), /Ingen vurderte innspill venter/);
    const csrf = await csrfOf(page);
    const post = await page.request.post(server.url + BULK, { form: { csrf }, maxRedirects: 0 });
    assert.equal(post.status(), 409);
    assert.match(await post.text(), /Ingenting ble sendt/);
  });
  assert.equal(sql('SELECT count(*) FROM feedback'), '25');
});

test('the bulk pages pass the Nu Html Checker', T, async () => {
  await assertValidHtml(docs);
});
