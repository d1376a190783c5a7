// One request cannot stall everyone, and a failure is loud and safe (issue 11 §2 and §4):
//  - a JSON body of 60,000 keys (under the body limit) is refused before it is parsed, and a
//    sign-in on another connection, sent once that body is on the wire, answers within 1 s
//    (it used to wait over 60 s while the keys were checked inside the write lock);
//  - a flood of sign-ins fills the password-hashing queue: the surplus is answered 503 with
//    Retry-After at once, and an Excel export, which has its own queue, is served meanwhile;
//  - the page cache keys on a route's declared parameters only: /planer?x=<random> is
//    /planer, served from the cache, and a flood of distinct searches under a small cache
//    keeps the page that people read;
//  - a database that cannot be written (the file size limit of the running server lowered
//    with prlimit, as a full disk would) answers writes 503 with a translated page and the
//    request id that the log names, keeps serving reads, refuses the rate-limited public form
//    (fails closed), and recovers once it can write again;
//  - --access-log writes one logfmt line per request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { statSync } from 'node:fs';
import { startServer, root, WAIT } from './lib/server.mjs';
import { addUser } from './lib/staff.mjs';

const SLUG = 'horing-medvirkningsplan';
const USER = { email: 'stall@moss.kommune.no', name: 'Stall Test', password: 'et langt passord 123' };

let server;

before(async () => {
  // one loop: one cache, so that a second request of a page is a hit whichever connection
  server = await startServer({ extraArgs: ['--threads', '1', '--trusted-proxy', '127.0.0.1', '--cache-size', '1'] });
  addUser(server, USER, 'leser');
  // Warm up both hashing threads: the first Argon2id of each maps its 64 MiB afresh.
  const pre = await preSession(server.url);
  await Promise.all([1, 2].map(() => signIn(server.url, pre, USER.email, USER.password)));
}, { timeout: 60000 });

after(async () => { await server?.stop(); }, { timeout: 60000 });

/** A pre-session CSRF token and its cookie, from the sign-in page. */
async function preSession(url) {
  const res = await fetch(url + '/logg-inn', { signal: AbortSignal.timeout(WAIT) });
  const token = res.headers.get('set-cookie').match(/pv_pre=([^;]+)/)[1];
  return { cookie: `pv_pre=${token}`, token };
}

function signIn(url, pre, email, password, address) {
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: pre.cookie };
  if (address) headers['X-Forwarded-For'] = address;
  return fetch(url + '/logg-inn', {
    method: 'POST', redirect: 'manual', headers, signal: AbortSignal.timeout(60000),
    body: new URLSearchParams({ csrf: pre.token, email, password, til: '/arbeid' }),
  });
}

/** POSTs body to path with node:http; resolves { sent } once the whole body is on the wire
 * and { done } with { status, body } when the answer came. */
function postRaw(path, body) {
  let onSent;
  const sent = new Promise((resolve) => { onSent = resolve; });
  const done = new Promise((resolve, reject) => {
    const u = new URL(server.url + path);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: text }));
    });
    req.on('error', reject);
    req.setTimeout(120000, () => req.destroy(new Error('no answer in 120 s')));
    req.end(body, onSent);
  });
  return { sent, done };
}

test('a body of 60,000 keys is refused at once and does not hold up a sign-in', { timeout: 180000 }, async () => {
  const keys = { text: 'hei' };
  for (let i = 0; i < 60000; i++) keys[`k${i}`] = 0;
  const body = JSON.stringify(keys);
  assert.ok(body.length < 1024 * 1024, 'the body is under the 1 MiB limit');
  const pre = await preSession(server.url);
  const big = postRaw(`/api/v1/processes/${SLUG}/inputs`, body);
  await big.sent;
  const t0 = performance.now();
  const res = await signIn(server.url, pre, USER.email, USER.password);
  const ms = performance.now() - t0;
  assert.equal(res.status, 303, 'the sign-in went through');
  assert.equal(res.headers.get('location'), '/arbeid');
  assert.ok(ms < 1000, `the sign-in answered in ${ms.toFixed(0)} ms, not within 1 s`);
  const answer = await big.done;
  assert.equal(answer.status, 400);
  assert.match(JSON.parse(answer.body).detail, /for mange felt \(høyst 256\)/);
  // deep nesting and too many values are refused as well, with their own words
  const deep = await postRaw(`/api/v1/processes/${SLUG}/inputs`, '['.repeat(5000) + ']'.repeat(5000)).done;
  assert.equal(deep.status, 400);
  assert.match(JSON.parse(deep.body).detail, /nestet for dypt/);
  const many = await postRaw(`/api/v1/processes/${SLUG}/inputs`, JSON.stringify({ text: 'hei', themes: Array(20000).fill('x') })).done;
  assert.equal(many.status, 400);
  assert.match(JSON.parse(many.body).detail, /for mange verdier/);
});

test('a full password-hashing queue answers 503 with Retry-After at once; exports go on', { timeout: 180000 }, async () => {
  const pre = await preSession(server.url);
  // Unknown accounts from addresses of their own: nothing throttles them, and each is still
  // checked against a password hash (so that it takes as long as a real one).
  const N = 80;
  const started = performance.now();
  const attempts = Array.from({ length: N }, (_, i) => {
    const t0 = performance.now();
    return signIn(server.url, pre, `ukjent${i}@example.org`, 'feil passord 12345', `10.9.${i >> 8}.${i & 255}`)
      .then(async (res) => ({ status: res.status, retry: res.headers.get('retry-after'), ms: performance.now() - t0, text: await res.text() }));
  });
  // meanwhile, the overview as an Excel workbook (its own queue)
  const xlsx = await fetch(server.url + '/oversikt?format=xlsx', { signal: AbortSignal.timeout(60000) });
  assert.equal(xlsx.status, 200);
  const workbook = Buffer.from(await xlsx.arrayBuffer());
  assert.equal(workbook.subarray(0, 2).toString(), 'PK', 'an xlsx file is a zip');
  const results = await Promise.all(attempts);
  const refused = results.filter((r) => r.status === 503);
  const checked = results.filter((r) => r.status === 200);
  assert.equal(refused.length + checked.length, N, `statuses: ${[...new Set(results.map((r) => r.status))]}`);
  assert.ok(refused.length > 0, 'some were refused');
  assert.ok(checked.length >= 32, `the queue took ${checked.length}`);
  for (const r of refused) {
    assert.equal(r.retry, '5');
    assert.match(r.text, /Prøv igjen|prøv igjen/);
  }
  // refused at once: every refusal came before the last checked attempt finished
  const slowestChecked = Math.max(...checked.map((r) => r.ms));
  const slowestRefusal = Math.max(...refused.map((r) => r.ms));
  assert.ok(slowestRefusal < slowestChecked,
    `refusals took up to ${slowestRefusal.toFixed(0)} ms, checks up to ${slowestChecked.toFixed(0)} ms (${(performance.now() - started).toFixed(0)} ms in all)`);
});

/** Resolves with fn()'s value once it is truthy; a server's log arrives on a pipe, a little
 * after the reply. Bounded by WAIT. */
async function eventually(fn, what) {
  const end = Date.now() + WAIT;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`waited ${WAIT} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function get(p, headers = {}) {
  const res = await fetch(server.url + p, { headers, signal: AbortSignal.timeout(WAIT) });
  return { res, text: await res.text() };
}

test('unknown parameters neither reach a page nor make cache entries; the cache keeps what is read', { timeout: 180000 }, async () => {
  const first = await get('/planer');
  assert.equal(first.res.status, 200);
  for (let i = 0; i < 500; i++) {
    const { res, text } = await get(`/planer?x=${Math.random().toString(36).slice(2)}&utm=${i}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-cache'), 'hit', `request ${i} was rendered anew`);
    assert.equal(res.headers.get('etag'), first.res.headers.get('etag'));
    assert.equal(text, first.text);
    assert.ok(!text.includes(`utm=${i}`), 'the unknown parameter did not reach the page');
  }
  // declared parameters still count, in any order, with the same key
  const a = await get('/planer?tema=natur-klima-og-miljo&sorter=vedtatt');
  const b = await get('/planer?sorter=vedtatt&x=1&tema=natur-klima-og-miljo');
  assert.equal(a.res.status, 200);
  assert.equal(b.res.headers.get('x-cache'), 'hit');
  assert.equal(a.text, b.text);
  assert.notEqual(a.text, first.text);
  // 1 MB per loop holds a few dozen result pages: a flood of distinct searches evicts the
  // least recently used ones, never the page read between them, and never all at once
  await get('/planer');
  for (let i = 0; i < 400; i++) {
    const s = await get(`/sok?q=${encodeURIComponent('plan ' + i)}`);
    assert.equal(s.res.status, 200);
    const hot = await get('/planer');
    assert.equal(hot.res.headers.get('x-cache'), 'hit', `/planer fell out of the cache after ${i} searches`);
  }
  const again = await get('/sok?q=plan%20399');
  assert.equal(again.res.headers.get('x-cache'), 'hit', 'the newest search is still there');
});

function prlimitFsize(value) {
  // the soft limit only ("N:"): the hard one stays, so it can be raised again
  execFileSync('prlimit', ['--pid', String(server.pid), `--fsize=${value}:`]);
}

test('a database that cannot be written: writes 503 with the request id, reads go on, then it recovers', { timeout: 180000 }, async () => {
  const form = async () => {
    const { res, text } = await get(`/medvirkning/${SLUG}`);
    assert.equal(res.status, 200);
    const cookie = res.headers.get('set-cookie')?.match(/pv_pre=([^;]+)/)?.[1];
    const csrf = text.match(/name="csrf" value="([^"]+)"/)?.[1];
    return { cookie, csrf };
  };
  const post = async (address) => {
    const { cookie, csrf } = await form();
    const body = new URLSearchParams({ text: 'Et innspill mens disken er full.' });
    if (csrf) body.set('csrf', csrf);
    return fetch(`${server.url}/medvirkning/${SLUG}`, {
      method: 'POST', redirect: 'manual', body, signal: AbortSignal.timeout(WAIT),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': address,
        ...(cookie ? { Cookie: `pv_pre=${cookie}` } : {}) },
    });
  };
  let wal = 0;
  try { wal = statSync(server.db + '-wal').size; } catch { /* no WAL yet */ }
  prlimitFsize(Math.max(wal, 1));
  try {
    const refused = await post('10.77.0.1');
    const text = await refused.text();
    assert.equal(refused.status, 503, text.slice(0, 400));
    assert.equal(refused.headers.get('retry-after'), '5');
    assert.match(text, /Vi kan ikke lagre noe akkurat nå/);
    const id = refused.headers.get('x-request-id');
    assert.match(id, /^[0-9a-f]{12}$/);
    assert.ok(text.includes(`<code>${id}</code>`), 'the page shows the request id');
    const line = await eventually(() => server.stderr().split('\n').find((l) => l.includes(`req=${id} 503 POST`)),
      `the log line of ${id}`);
    assert.match(line, / error req=[0-9a-f]{12} 503 POST route=participation\.submit path=\/medvirkning\/horing-medvirkningsplan: store: /);
    const logged = server.stderr().split('\n').filter((l) => l.includes(`req=${id}`));
    assert.ok(!logged.some((l) => l.includes('Et innspill')), 'no form values in the log');
    // reads go on
    const plans = await get('/planer?tema=natur-klima-og-miljo');
    assert.equal(plans.res.status, 200);
    const process = await get(`/medvirkning/${SLUG}`);
    assert.equal(process.res.status, 200);
    // the JSON API says the same as a problem object
    const api = await fetch(`${server.url}/api/v1/processes/${SLUG}/inputs`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '10.77.0.2' },
      body: JSON.stringify({ text: 'Via API mens disken er full.' }), signal: AbortSignal.timeout(WAIT),
    });
    assert.equal(api.status, 503);
    assert.equal(api.headers.get('content-type'), 'application/problem+json');
    const problem = await api.json();
    assert.equal(problem.request_id, api.headers.get('x-request-id'));
  } finally {
    prlimitFsize('unlimited');
  }
  const accepted = await post('10.77.0.3');
  assert.equal(accepted.status, 303, 'it writes again once it can');
  assert.match(accepted.headers.get('location'), /^\/kvittering\//);
});

test('--access-log writes one logfmt line per request', { timeout: 120000 }, async () => {
  const logged = await startServer({ extraArgs: ['--access-log'] });
  try {
    const res = await fetch(logged.url + '/planer/leve-hele-livet', { signal: AbortSignal.timeout(WAIT) });
    const bytes = (await res.arrayBuffer()).byteLength;
    const id = res.headers.get('x-request-id');
    const missing = await fetch(logged.url + '/finnes-ikke', { signal: AbortSignal.timeout(WAIT) });
    await missing.arrayBuffer();
    const lines = () => logged.stderr().split('\n').filter((l) => l.startsWith('time='));
    const line = await eventually(() => lines().find((l) => l.includes(`id=${id}`)), `the line of ${id}`);
    assert.match(line, new RegExp(`^time=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ id=${id} method=GET route=plan status=200 bytes=${bytes} us=\\d+$`));
    await eventually(() => lines().some((l) => / method=GET route=- status=404 /.test(l)), 'the line of the 404');
  } finally {
    await logged.stop();
  }
  assert.ok(!server.stderr().includes('time='), 'off by default');
});
