// HTTP-level behaviour of a real server (the ASan build under scripts/test): the security
// headers on every kind of response, limits (414, 413), bad input (400 in the user's
// language), 404 in the user's language, static files that cannot be left by any spelling of
// "..", HEAD, ETag/304, and that the server keeps serving after each bad request.
// fetch() normalises URLs (it collapses dot segments), so those requests go over raw sockets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, root } from './lib/server.mjs';

const TIMEOUT = 15000; // the bound of every request
const MAX_TARGET = 8192; // bytes of a request target (PV_MAX_URI)
const MAX_BODY = 1048576; // bytes of a request body (PV_MAX_BODY)

let server;
let host;
let port;

before(async () => {
  server = await startServer();
  const u = new URL(server.url);
  host = u.hostname;
  port = Number(u.port);
});

after(async () => {
  await server?.stop(); // throws if the exit status is not 0 (e.g. an ASan leak report)
});

/**
 * Sends `head` (the request line and headers, without the blank line) and an optional body
 * over a fresh TCP connection, exactly as written, and reads the whole answer (the request
 * says Connection: close). Returns { status, headers (lower-case names), body: Buffer, raw }.
 */
function rawRequest(head, body = null, { method } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const chunks = [];
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no answer within ${TIMEOUT} ms to ${head.slice(0, 80)}`)); }, TIMEOUT);
    socket.on('connect', () => {
      socket.write(`${head}\r\nHost: ${host}:${port}\r\nConnection: close\r\n\r\n`);
      if (body) socket.write(body);
    });
    socket.on('data', (d) => chunks.push(d));
    // The server may answer (and close) before it has read a large body: the answer counts.
    socket.on('error', (e) => { if (!chunks.length) { clearTimeout(timer); reject(e); } });
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks);
      const end = raw.indexOf('\r\n\r\n');
      if (end < 0) return reject(new Error(`no complete answer to ${head.slice(0, 80)}: ${raw.toString('latin1').slice(0, 200)}`));
      const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(lines[0].split(' ')[1]);
      const headers = {};
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':');
        const name = line.slice(0, i).trim().toLowerCase();
        const value = line.slice(i + 1).trim();
        headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
      }
      let rest = raw.subarray(end + 4);
      if (/chunked/i.test(headers['transfer-encoding'] || '')) rest = dechunk(rest);
      resolve({ status, headers, body: rest, text: rest.toString('utf8'), raw, method });
    });
  });
}

function dechunk(buf) {
  const out = [];
  let pos = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', pos);
    if (eol < 0) break;
    const size = parseInt(buf.subarray(pos, eol).toString('latin1'), 16);
    if (!size) break;
    out.push(buf.subarray(eol + 2, eol + 2 + size));
    pos = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

/** fetch() with a bound, never following redirects; returns { status, headers, text }. */
async function get(pathAndQuery, { headers = {}, method = 'GET' } = {}) {
  const res = await fetch(server.url + pathAndQuery, {
    method, headers, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT),
  });
  const h = {};
  res.headers.forEach((v, k) => { h[k] = v; });
  return { status: res.status, headers: h, text: await res.text() };
}

/** The headers DESIGN.md § 6 asks of every response. */
function assertSecurityHeaders(headers, what) {
  const csp = headers['content-security-policy'];
  assert.ok(csp, `${what}: Content-Security-Policy is present`);
  assert.doesNotMatch(csp, /unsafe-inline/, `${what}: the CSP allows no 'unsafe-inline'`);
  assert.doesNotMatch(csp, /unsafe-eval/, `${what}: the CSP allows no 'unsafe-eval'`);
  assert.match(csp, /(^|;)\s*frame-ancestors 'none'\s*(;|$)/, `${what}: the CSP has frame-ancestors 'none'`);
  assert.match(csp, /(^|;)\s*(default-src|script-src) /, `${what}: the CSP limits scripts`);
  assert.equal(headers['x-content-type-options'], 'nosniff', `${what}: X-Content-Type-Options`);
  const rp = headers['referrer-policy'];
  assert.ok(rp, `${what}: Referrer-Policy is present`);
  assert.notEqual(rp, 'unsafe-url', `${what}: Referrer-Policy does not leak full URLs`);
}

function htmlLang(text) {
  return text.match(/<html[^>]*\slang="([^"]*)"/)?.[1];
}

/** After every bad request: the server is still up and serves the front page. */
async function assertStillServing(after) {
  const res = await get('/');
  assert.equal(res.status, 200, `the front page still answers 200 after ${after}`);
  assert.match(res.text, /<h1[^>]*>/, `the front page still has its content after ${after}`);
}

/** Raw-request text of an error page, checked for what every error page must be. */
function assertErrorPage(res, { status, lang, what }) {
  assert.equal(res.status, status, `${what}: status`);
  assertSecurityHeaders(res.headers, what);
  assert.match(res.headers['content-type'] || '', /^text\/html/, `${what}: an HTML page`);
  assert.equal(htmlLang(res.text), lang, `${what}: <html lang>`);
  assert.match(res.text, /<h1[^>]*>[^<]+<\/h1>/, `${what}: the page says what is wrong`);
  assert.doesNotMatch(res.text, /PV_E|EINVAL|ENOTFOUND|ELIMIT|errno|\(null\)/, `${what}: no raw error codes`);
}

// ---------------------------------------------------------------- security headers

const ORDINARY = [
  ['the front page', '/', 200, /^text\/html/],
  ['the plan list', '/planer', 200, /^text\/html/],
  ['the plan list, filtered', '/planer?status=vedtatt&sorter=vedtatt', 200, /^text\/html/],
  ['a plan page', '/planer/leve-hele-livet', 200, /^text\/html/],
  ['the goals page', '/mal', 200, /^text\/html/],
  ['a search', '/sok?q=demens', 200, /^text\/html/],
  ['JSON: the plans', '/api/v1/plans', 200, /json/],
  ['JSON: one plan', '/api/v1/plans/leve-hele-livet', 200, /json/],
  ['JSON: the OpenAPI description', '/api/v1/openapi.json', 200, /json/],
  ['JSON: an unknown API path (404)', '/api/v1/finnes-ikke', 404, /json/],
  ['a static file (our CSS)', '/static/css/planverk.css', 200, /^text\/css/],
  ['a static file (Designsystemet)', '/static/ds/theme/designsystemet.css', 200, /^text\/css/],
  ['a static file (SVG)', '/static/img/favicon.svg', 200, /^image\/svg\+xml/],
  ['a missing static file (404)', '/static/css/finnes-ikke.css', 404, /^text\/html/],
  ['an unknown page (404)', '/finnes-ikke', 404, /^text\/html/],
  ['a bad filter (400)', '/planer?tema=finnes-ikke', 400, /^text\/html/],
];

for (const [what, url, status, type] of ORDINARY) {
  test(`security headers: ${what} ${url}`, async () => {
    const res = await get(url);
    assert.equal(res.status, status);
    assert.match(res.headers['content-type'] || '', type);
    assertSecurityHeaders(res.headers, url);
  });
}

test('security headers and redirect: /sprak sets the cookie and sends the reader back (303)', async () => {
  const res = await get('/sprak?lang=nn&til=/planer');
  assert.equal(res.status, 303);
  assertSecurityHeaders(res.headers, '/sprak');
  assert.equal(res.headers.location, '/planer');
  assert.match(res.headers['set-cookie'] || '', /^lang=nn;/);
  assert.match(res.headers['set-cookie'], /HttpOnly/i);
  assert.match(res.headers['set-cookie'], /SameSite=Lax/i);
  assert.match(res.headers['set-cookie'], /Path=\//);
});

for (const target of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
  test(`/sprak does not redirect off the site: til=${target}`, async () => {
    const res = await get(`/sprak?lang=en&til=${encodeURIComponent(target)}`);
    assert.equal(res.status, 303);
    assertSecurityHeaders(res.headers, '/sprak');
    const location = res.headers.location;
    assert.match(location, /^\/(?![/\\])/, `Location "${location}" is a path on this site`);
    assert.equal(new URL(location, server.url).origin, new URL(server.url).origin);
  });
}

test('/sprak with an unknown language is a 400 page, not a redirect', async () => {
  const res = await get('/sprak?lang=xx&til=/planer');
  assert.equal(res.status, 400);
  assertSecurityHeaders(res.headers, '/sprak?lang=xx');
  assert.equal(res.headers['set-cookie'], undefined, 'no cookie is set');
  await assertStillServing('/sprak?lang=xx');
});

// ---------------------------------------------------------------- limits

test(`414: a request target of ${MAX_TARGET + 1} bytes; ${MAX_TARGET} bytes is still read`, async () => {
  const at = (n) => '/sok?q=' + 'a'.repeat(n - '/sok?q='.length);
  const ok = await rawRequest(`GET ${at(MAX_TARGET)} HTTP/1.1`);
  assert.notEqual(ok.status, 414, `a target of exactly ${MAX_TARGET} bytes is within the limit`);
  assertSecurityHeaders(ok.headers, 'a target at the limit');
  await assertStillServing('a target at the limit');

  const res = await rawRequest(`GET ${at(MAX_TARGET + 1)} HTTP/1.1`);
  assertErrorPage(res, { status: 414, lang: 'nb', what: 'a too long target' });
  await assertStillServing('a too long target');

  const en = await rawRequest(`GET /${'x'.repeat(MAX_TARGET + 100)} HTTP/1.1\r\nCookie: lang=en`);
  assertErrorPage(en, { status: 414, lang: 'en', what: 'a too long path, in English' });
  await assertStillServing('a too long path');
});

test(`413: a POST body of ${MAX_BODY + 1} bytes; ${MAX_BODY} bytes is still read`, async () => {
  const atLimit = await rawRequest(`POST /planer HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${MAX_BODY}`,
    Buffer.alloc(MAX_BODY, 'a'));
  assert.notEqual(atLimit.status, 413, `a body of exactly ${MAX_BODY} bytes is within the limit`);
  assertSecurityHeaders(atLimit.headers, 'a body at the limit');
  await assertStillServing('a body at the limit');

  const res = await rawRequest(`POST /planer HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${MAX_BODY + 1}`,
    Buffer.alloc(MAX_BODY + 1, 'a'));
  assertErrorPage(res, { status: 413, lang: 'nb', what: 'a too large body' });
  await assertStillServing('a too large body');

  // The same without a Content-Length: a chunked body that grows over the limit.
  const size = (MAX_BODY + 1).toString(16);
  const chunked = await rawRequest('POST /planer HTTP/1.1\r\nTransfer-Encoding: chunked\r\nCookie: lang=en',
    Buffer.concat([Buffer.from(`${size}\r\n`), Buffer.alloc(MAX_BODY + 1, 'a'), Buffer.from('\r\n0\r\n\r\n')]));
  assertErrorPage(chunked, { status: 413, lang: 'en', what: 'a too large chunked body' });
  await assertStillServing('a too large chunked body');
});

// Far over our limits, but under libevent's own hard caps (8 MiB of body, 128 KiB of
// request line and headers; past those libevent answers with its bare page and closes).
test('413 also for a body far over the limit (5 MB), with the security headers', async () => {
  const n = 5 * 1024 * 1024;
  const res = await rawRequest(`POST /planer HTTP/1.1\r\nContent-Length: ${n}`, Buffer.alloc(n, 'a'));
  assertErrorPage(res, { status: 413, lang: 'nb', what: 'a 5 MB body' });
  await assertStillServing('a 5 MB body');
});

test('414 also for a target far over the limit (70 000 bytes), with the security headers', async () => {
  const res = await rawRequest(`GET /sok?q=${'a'.repeat(70000)} HTTP/1.1`);
  assertErrorPage(res, { status: 414, lang: 'nb', what: 'a 70 000 byte target' });
  await assertStillServing('a 70 000 byte target');
});

// ---------------------------------------------------------------- bad input

for (const url of ['/planer/%FF', '/sok?q=%C3%28']) {
  test(`400: invalid UTF-8 in ${url.includes('?') ? 'the query' : 'the path'} (${url}), in the user's language`, async () => {
    const nb = await get(url);
    assertErrorPage(nb, { status: 400, lang: 'nb', what: `${url} (nb)` });
    await assertStillServing(url);
    const en = await get(url, { headers: { Cookie: 'lang=en' } });
    assertErrorPage(en, { status: 400, lang: 'en', what: `${url} (en)` });
    assert.equal(en.headers['content-language'], 'en');
    const nn = await get(url, { headers: { 'Accept-Language': 'nn-NO, nn;q=0.9' } });
    assertErrorPage(nn, { status: 400, lang: 'nn', what: `${url} (nn by Accept-Language)` });
    await assertStillServing(url);
  });
}

for (const url of ['/planer?tema=finnes-ikke', '/planer?sorter=x', '/planer?status=finnes-ikke',
  '/planer?type=finnes-ikke', '/planer?tema=%FF']) {
  test(`400: an unknown filter value ${url}`, async () => {
    const res = await get(url, { headers: { Cookie: 'lang=en' } });
    assertErrorPage(res, { status: 400, lang: 'en', what: url });
    await assertStillServing(url);
  });
}

test('404: an unknown path gets the 404 page in the user\'s language', async () => {
  for (const [headers, lang] of [[{}, 'nb'], [{ Cookie: 'lang=nn' }, 'nn'],
    [{ 'Accept-Language': 'en-GB,en;q=0.9' }, 'en'], [{ Cookie: 'lang=en', 'Accept-Language': 'nn' }, 'en']]) {
    for (const url of ['/finnes-ikke', '/planer/finnes-ikke', '/planer/leve-hele-livet/mer']) {
      const res = await get(url, { headers });
      assertErrorPage(res, { status: 404, lang, what: `${url} ${JSON.stringify(headers)}` });
      assert.match(res.text, /href="\/"/, `${url}: the 404 page leads back to the front page`);
    }
  }
  await assertStillServing('the 404s');
});

test('404: an unknown API path is a JSON problem, not an HTML page', async () => {
  const res = await get('/api/v1/finnes-ikke');
  assert.equal(res.status, 404);
  assert.match(res.headers['content-type'], /^application\/problem\+json/);
  const problem = JSON.parse(res.text);
  assert.equal(problem.status, 404);
  assert.ok(problem.title, 'the problem has a title');
  assertSecurityHeaders(res.headers, '/api/v1/finnes-ikke');
});

test('input that comes back in a page is escaped (search words, unknown paths)', async () => {
  const evil = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>';
  for (const url of [`/sok?q=${encodeURIComponent(evil)}`, `/${encodeURIComponent(evil)}`,
    `/planer/${encodeURIComponent(evil)}`, `/planer?tema=${encodeURIComponent(evil)}`]) {
    const res = await get(url);
    assert.ok([200, 400, 404].includes(res.status), `${url}: ${res.status}`);
    assertSecurityHeaders(res.headers, url);
    assert.ok(!res.text.includes('<script'), `${url}: no <script> comes back`);
    assert.ok(!/<img[^>]*onerror/i.test(res.text), `${url}: no injected element comes back`);
    assert.doesNotMatch(res.text, /="[^"]*"'>/, `${url}: no attribute is broken out of`);
  }
  await assertStillServing('the escaping checks');
});

// ---------------------------------------------------------------- static files

const escapes = [
  ['/static/../meson.build', 'meson.build'],
  ['/static/%2e%2e/meson.build', 'meson.build'],
  ['/static/%2E%2E/meson.build', 'meson.build'],
  ['/static/..%2fmeson.build', 'meson.build'],
  ['/static/..%2Fmeson.build', 'meson.build'],
  ['/static/css/../../meson.build', 'meson.build'],
  ['/static/css/%2e%2e/%2e%2e/meson.build', 'meson.build'],
  ['/static/css/..%2f..%2fmeson.build', 'meson.build'],
  ['/static/ds/../../package.json', 'package.json'],
  ['/static/ds/%2e%2e/%2e%2e/package.json', 'package.json'],
  ['/static/ds/..%5c..%5cpackage.json', 'package.json'],
  ['/static/./../meson.build', 'meson.build'],
  ['/static//../meson.build', 'meson.build'],
  ['/static/%2fetc%2fpasswd', '/etc/passwd'],
];

for (const [target, file] of escapes) {
  test(`static files cannot be left: ${target}`, async () => {
    const content = readFileSync(path.isAbsolute(file) ? file : path.join(root, file), 'utf8');
    const res = await rawRequest(`GET ${target} HTTP/1.1`);
    assert.notEqual(res.status, 200, `${target} must not be served`);
    assert.ok(!res.text.includes(content.slice(0, 200)), `${target} does not leak ${file}`);
    assertSecurityHeaders(res.headers, target);
    await assertStillServing(target);
  });
}

test('static files: a real file is served, byte for byte (the check above would see a leak)', async () => {
  const res = await rawRequest('GET /static/css/planverk.css HTTP/1.1');
  assert.equal(res.status, 200);
  assert.equal(res.text, readFileSync(path.join(root, 'static/css/planverk.css'), 'utf8'));
  assertSecurityHeaders(res.headers, '/static/css/planverk.css');
  // …and its ETag gives a 304 that carries the headers too.
  const again = await rawRequest(`GET /static/css/planverk.css HTTP/1.1\r\nIf-None-Match: ${res.headers.etag}`);
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assertSecurityHeaders(again.headers, 'a static 304');
});

// ---------------------------------------------------------------- HEAD and ETag

test('HEAD / answers 200 with the headers and no body', async () => {
  const res = await rawRequest('HEAD / HTTP/1.1', null, { method: 'HEAD' });
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'], /^text\/html/);
  assertSecurityHeaders(res.headers, 'HEAD /');
  assert.equal(res.body.length, 0, `no body after the headers, got ${res.body.length} bytes`);
  const get1 = await get('/');
  if (res.headers['content-length'] !== undefined) {
    assert.equal(Number(res.headers['content-length']), Buffer.byteLength(get1.text), 'Content-Length as for GET');
  }
  assert.equal(res.headers.etag, get1.headers.etag, 'the same ETag as GET');
});

test('ETag round trip: GET /planer, then If-None-Match → 304 (twice), a stale tag → 200', async () => {
  const first = await get('/planer');
  assert.equal(first.status, 200);
  const etag = first.headers.etag;
  assert.match(etag || '', /^(W\/)?"[^"]+"$/, `an ETag: ${etag}`);
  for (let i = 0; i < 2; i++) {
    const res = await get('/planer', { headers: { 'If-None-Match': etag } });
    assert.equal(res.status, 304, `round ${i + 1}: 304`);
    assert.equal(res.text, '', 'a 304 has no body');
    assertSecurityHeaders(res.headers, 'a 304');
  }
  const stale = await get('/planer', { headers: { 'If-None-Match': '"stale"' } });
  assert.equal(stale.status, 200);
  assert.equal(stale.text, first.text);
  // Another language is another representation with another tag.
  const en = await get('/planer', { headers: { Cookie: 'lang=en', 'If-None-Match': etag } });
  assert.equal(en.status, 200, 'the nb ETag does not match the English page');
  assert.notEqual(en.headers.etag, etag);
});

// ---------------------------------------------------------------- at the end

test('after all the bad requests the server still serves every page', async () => {
  for (const url of ['/', '/planer', '/planer/leve-hele-livet', '/mal', '/sok?q=demens', '/static/css/planverk.css']) {
    const res = await get(url);
    assert.equal(res.status, 200, url);
  }
});
