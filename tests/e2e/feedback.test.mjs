// Feedback to every sender, for real: a local SMTP server (aiosmtpd, writing each message into
// a Maildir in a temporary folder) on a free loopback port stands in for the municipality's
// relay, and planverk serve sends to it (--smtp-url, with the fast retry schedule
// --outbox-retry-base 1). A citizen sends an input in nynorsk with e-mail and consent through
// the API; it is assessed (with SQL: the assessment pages are tested on their own); an advisor
// writes the feedback in the browser from the nynorsk template and the e-mail arrives. Then
// the relay is stopped: feedback for a second input waits in the outbox (`planverk outbox
// list` and the page say so), and is delivered once the relay is back on the same port. The
// receipt shows the newest feedback. Feedback before the assessment is refused with a clear
// message; the templates page keeps a broken template next to its error and saves a good one.
// axe-core and the Nu Html Checker judge every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, WAIT, withPage, navigate, open, cli } from './lib/server.mjs';
import { judgeInto, assertValidHtml } from './lib/check.mjs';
import { addUser, signIn, sessionOf, csrfOf } from './lib/staff.mjs';

const T = { timeout: 120000 };
const ADVISOR = { email: 'rita.radgiver@moss.kommune.no', name: 'Rita Rådgiver', password: 'rita har et langt passord' };
const OUTSIDER = { email: 'per.prosesseier@moss.kommune.no', name: 'Per Prosesseier', password: 'per har et langt passord' };
const SLUG = 'horing-medvirkningsplan';
const FROM = 'ikkje-svar@moss.kommune.no';

let server;
let browser;
let smtp; // { child, exited }
let smtpPort;
let mailDir;
const docs = [];
const judge = judgeInto(docs, { noScript: true });
const state = {};

// ---------------------------------------------------------------- the SMTP server

/** A loopback port nobody listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Resolves once something accepts connections on port (bounded). */
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

async function startSmtp() {
  const child = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`,
    '-c', 'aiosmtpd.handlers.Mailbox', path.join(mailDir, 'maildir')], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  smtp = { child, exited };
  await waitListening(smtpPort);
}

async function stopSmtp() {
  if (!smtp) return;
  smtp.child.kill('SIGTERM');
  await smtp.exited;
  smtp = null;
}

/** The messages received so far: [{ headers: {lower-case name: value}, body (decoded) }]. */
function mails() {
  const dir = path.join(mailDir, 'maildir', 'new'); // created by the Maildir on the first message
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
    const body = Buffer.from(raw.slice(split).replace(/\s+/g, ''), 'base64').toString('utf8');
    return { headers, body };
  });
}

/** An RFC 2047 header as text. */
function decodeWords(v) {
  return v.replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/gi, (_, b) => Buffer.from(b, 'base64').toString('utf8')).trim();
}

/** Waits (bounded) until the message to address has arrived; returns it. */
async function mailTo(address, deadline = Date.now() + 40000) {
  for (;;) {
    const m = mails().find((x) => x.headers.to === address);
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`no e-mail to ${address}; server log:\n${server.stderr().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------- helpers

function sql(statement, srv = server) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, statement], { encoding: 'utf8' }).trim();
}

/** A citizen's input through the API; returns { id, code }. */
async function submit(text, extra, srv = server) {
  const res = await fetch(`${srv.url}/api/v1/processes/${SLUG}/inputs`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text, themes: ['Oppfølging'], ...extra }), signal: AbortSignal.timeout(WAIT),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const { code } = await res.json();
  const id = Number(sql(`SELECT id FROM input WHERE text = '${text.replaceAll("'", "''")}'`, srv));
  assert.ok(id > 0);
  return { id, code };
}

/** Assesses input id with SQL, as the schema of migration 0004 has it. */
function assess(id, outcome, justification, srv = server) {
  sql(`INSERT INTO assessment (process_id, outcome, justification, assessed_at)
       VALUES ('${SLUG}', '${outcome}', '${justification}', unixepoch());
       INSERT INTO assessment_input VALUES (last_insert_rowid(), ${id});
       UPDATE input SET assessment_id = (SELECT max(id) FROM assessment), status = 'vurdert' WHERE id = ${id};`, srv);
}

const feedbackUrl = (id) => `/arbeid/prosesser/${SLUG}/innspill/${id}/tilbakemelding`;

async function getJson(p, session) {
  const res = await fetch(server.url + p, {
    headers: { Accept: 'application/json', Cookie: `pv_session=${session}` }, signal: AbortSignal.timeout(WAIT),
  });
  assert.equal(res.status, 200, p);
  return res.json();
}

/** Waits (bounded) until check(json of p) is true; returns that json. */
async function until(p, session, check, what) {
  const deadline = Date.now() + 40000;
  for (;;) {
    const json = await getJson(p, session);
    if (check(json)) return json;
    if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(json.latest)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------- set-up

before(async () => {
  mailDir = mkdtempSync(path.join(tmpdir(), 'planverk-mail-'));
  smtpPort = await freePort();
  await startSmtp();
  server = await startServer({ extraArgs: ['--smtp-url', `smtp://127.0.0.1:${smtpPort}`, '--mail-from', FROM, '--outbox-retry-base', '1'] });
  browser = await launchBrowser();
  addUser(server, ADVISOR, 'radgiver');
  addUser(server, OUTSIDER, 'prosesseier');
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await stopSmtp();
  await server?.stop(); // throws on a non-zero exit status (a leak under ASan)
  if (mailDir) rmSync(mailDir, { recursive: true, force: true });
}, { timeout: 60000 });

// ---------------------------------------------------------------- tests

test('feedback before the assessment is refused with a clear message; outsiders get 403', T, async () => {
  state.first = await submit('Kunngjer møta i lokalavisa òg, ikkje berre på nett.', { language: 'nn', email: 'ola@example.no', consent: true, name: 'Ola' });
  await withPage(browser, {}, async (page, context) => {
    await signIn(server, page, ADVISOR);
    state.session = await sessionOf(server, context);
    const res = await open(server, page, feedbackUrl(state.first.id));
    await judge(page, 'feedback, not assessed', res);
    assert.match(await page.locator('#ikke-vurdert').innerText(), /ikke vurdert ennå/);
    assert.equal(await page.locator('textarea').count(), 0);
    await page.goto(server.url + '/arbeid'); // a page with the sign-out form and its CSRF token
    const csrf = await csrfOf(page);
    const api = await fetch(`${server.url}/api/v1/processes/${SLUG}/inputs/${state.first.id}/feedback`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: `pv_session=${state.session}` },
      body: JSON.stringify({ csrf, body: 'For tidleg.' }), signal: AbortSignal.timeout(WAIT),
    });
    assert.equal(api.status, 409);
    assert.match((await api.json()).detail, /ikke vurdert/);
    assert.equal(sql(`SELECT count(*) FROM feedback`), '0');
    await open(server, page, feedbackUrl(999999), 404);
  });
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, OUTSIDER);
    await open(server, page, feedbackUrl(state.first.id), 403);
    await open(server, page, '/arbeid/tilbakemeldingsmaler', 403);
  });
});

test('the advisor writes feedback from the nynorsk template and the e-mail arrives', T, async () => {
  assess(state.first.id, 'delvis tatt til følge', 'Vi kunngjer møta i Moss Avis frå hausten.');
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, ADVISOR);
    const res = await open(server, page, feedbackUrl(state.first.id));
    await judge(page, 'feedback form', res);
    const text = await page.locator('#f-body').inputValue();
    assert.match(text, /Takk for innspelet ditt/); // the sender's language
    assert.match(text, /delvis teke til følgje/);
    assert.match(text, /Vi kunngjer møta i Moss Avis frå hausten\./); // the justification
    assert.match(text, /Kunngjer møta i lokalavisa òg/); // what the input was
    assert.match(await page.locator('#e-post-mottaker').innerText(), /ola@example\.no/);
    await page.fill('#f-body', text + '\nHelsing Rita i plan.');
    const saved = await navigate(page, () => page.click('form.staff-form button[type="submit"]'));
    assert.equal(saved.status(), 200);
    assert.match(page.url(), /\?lagret=1$/);
    await judge(page, 'feedback saved', saved);
    assert.match(await page.locator('.feedback-text').innerText(), /Helsing Rita i plan\./);
  });
  const mail = await mailTo('ola@example.no');
  assert.equal(mail.headers.from, FROM);
  assert.match(decodeWords(mail.headers.subject), /Innspelet ditt til .* er delvis teke til følgje/);
  assert.match(mail.headers['message-id'], /^<[0-9a-f]{32}@moss\.kommune\.no>$/);
  assert.match(mail.headers.date, /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  assert.match(mail.headers['content-type'], /text\/plain; charset=UTF-8/);
  assert.match(mail.body, /Takk for innspelet ditt/);
  assert.match(mail.body, /Helsing Rita i plan\./);
  const json = await until(feedbackUrl(state.first.id), state.session, (j) => j.latest?.mail?.state === 'sendt', 'marked sent');
  assert.equal(json.latest.mail.to, 'ola@example.no');
  assert.equal(sql(`SELECT status FROM input WHERE id = ${state.first.id}`), 'tilbakemeldt');
  assert.equal(sql(`SELECT count(*) FROM audit_event WHERE action = 'feedback.create'`), '1');
});

test('while the relay is down the e-mail waits in the outbox, and goes out when it is back', { timeout: 180000 }, async () => {
  await stopSmtp();
  const second = await submit('Fleire benkar langs kyststien, takk.', { language: 'nb', email: 'kari@example.no', consent: true });
  assess(second.id, 'tatt til følge', '');
  let session;
  let csrf;
  await withPage(browser, {}, async (page, context) => {
    await signIn(server, page, ADVISOR);
    session = await sessionOf(server, context);
    csrf = await csrfOf(page);
  });
  // The API: the body left out takes the template's text (bokmål here).
  const api = await fetch(`${server.url}/api/v1/processes/${SLUG}/inputs/${second.id}/feedback`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: `pv_session=${session}` },
    body: JSON.stringify({ csrf }), signal: AbortSignal.timeout(WAIT),
  });
  assert.equal(api.status, 201, await api.clone().text());
  const created = await api.json();
  assert.equal(created.email_queued, true);
  assert.equal(api.headers.get('location'), feedbackUrl(second.id));
  // The sender tries, fails, and keeps it for later: the CLI and the page say so.
  const waiting = await until(feedbackUrl(second.id), session, (j) => j.latest?.mail?.attempts >= 1, 'a failed attempt');
  assert.equal(waiting.latest.mail.state, 'venter');
  assert.ok(waiting.latest.mail.last_error);
  const list = cli(['outbox', 'list', '--db', server.db]);
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /\tventer\t\d+\tkari@example\.no\t/);
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, ADVISOR);
    const res = await open(server, page, feedbackUrl(second.id));
    await judge(page, 'feedback, e-mail waiting', res);
    assert.match(await page.locator('#e-poststatus').innerText(), /venter i utboksen/);
  });
  // The relay is back on the same port: the retry delivers it.
  // (After three failures the next try is 30 s away with --outbox-retry-base 1: bound at 60 s.)
  await startSmtp();
  const mail = await mailTo('kari@example.no', Date.now() + 60000);
  assert.match(mail.headers.subject, /er tatt til følge|=\?UTF-8\?B\?/);
  assert.match(mail.body, /Takk for innspillet ditt/);
  assert.match(mail.body, /Fleire benkar langs kyststien/);
  await until(feedbackUrl(second.id), session, (j) => j.latest?.mail?.state === 'sendt', 'sent after the outage');
  assert.match(cli(['outbox', 'list', '--db', server.db]).stdout, /\tsendt\t\d+\tkari@example\.no\t/);
});

test('the receipt shows the newest feedback, its outcome and day', T, async () => {
  await withPage(browser, {}, async (page) => {
    const res = await open(server, page, `/kvittering/${state.first.code}`);
    await judge(page, 'receipt with feedback', res);
    assert.match(await page.locator('.feedback-text').innerText(), /Helsing Rita i plan\./);
    assert.match(await page.locator('.feedback-outcome').innerText(), /Delvis tatt til følge/);
  });
  const api = await (await fetch(`${server.url}/api/v1/receipts/${state.first.code}`, { signal: AbortSignal.timeout(WAIT) })).json();
  assert.match(api.feedback.text, /Helsing Rita i plan\./);
  assert.equal(api.feedback.outcome, 'delvis tatt til følge');
  assert.ok(!JSON.stringify(api).includes('ola@example.no'));
});

test('staff edit the templates: a broken one stays in the form with its error, a good one is saved', T, async () => {
  await withPage(browser, {}, async (page) => {
    await signIn(server, page, ADVISOR);
    const res = await open(server, page, '/arbeid/tilbakemeldingsmaler');
    await judge(page, 'templates', res);
    assert.equal(await page.locator('form.staff-form').count(), 15);
    const form = page.locator('#mal-4-en');
    await form.locator('textarea').fill('Hello {{navn}}, about {{prosess}}.');
    const refused = await navigate(page, () => form.locator('button').click());
    assert.equal(refused.status(), 422);
    await judge(page, 'templates, refused', refused);
    assert.equal(await page.locator('#mal-4-en-body').inputValue(), 'Hello {{navn}}, about {{prosess}}.');
    assert.match(await page.locator('#mal-4-en-body-feil').innerText(), /plassholder/);
    assert.match(await page.locator('#feiloppsummering').innerText(), /\{\{navn\}\}/);
    assert.match(sql(`SELECT body FROM feedback_template WHERE outcome = 'utenfor mandat' AND language = 'en'`), /cannot decide/);
    await page.locator('#mal-4-en-body').fill('Thank you for your input to {{prosess}}. {{begrunnelse}}');
    const saved = await navigate(page, () => page.locator('#mal-4-en button').click());
    assert.equal(saved.status(), 200);
    await judge(page, 'templates, saved', saved);
    assert.equal(sql(`SELECT body FROM feedback_template WHERE outcome = 'utenfor mandat' AND language = 'en'`),
      'Thank you for your input to {{prosess}}. {{begrunnelse}}');
  });
});

test('without a relay the page says that the e-mail will wait in the outbox', T, async () => {
  const bare = await startServer();
  try {
    addUser(bare, ADVISOR, 'radgiver');
    const input = await submit('Innspill til en server uten e-post.', { email: 'eva@example.no', consent: true }, bare);
    assess(input.id, 'allerede ivaretatt', 'Står i tiltak 2.', bare);
    await withPage(browser, {}, async (page) => {
      await signIn(bare, page, ADVISOR);
      const res = await open(bare, page, feedbackUrl(input.id));
      await judge(page, 'feedback, no relay', res);
      assert.match(await page.locator('#e-post-mottaker').innerText(), /eva@example\.no.*venter i utboksen/s);
      await navigate(page, () => page.click('form.staff-form button[type="submit"]'));
      assert.match(await page.locator('#e-poststatus').innerText(), /venter i utboksen/);
    });
    assert.match(cli(['outbox', 'list', '--db', bare.db]).stdout, /\tventer\t0\teva@example\.no\t/);
  } finally {
    await bare.stop();
  }
});

test('every page is valid HTML (Nu Html Checker)', { timeout: 180000 }, async () => {
  await assertValidHtml(docs);
});
