// Sessions over real HTTP: the cookie's flags, renewal at every sign-in, no replay after
// sign-out, a token hash stolen from the database signs nothing in, and X-Forwarded-Proto /
// X-Forwarded-For believed only from the configured proxy (the Secure flag, the address in
// the audit trail).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from './lib/server.mjs';
import { addUser } from './lib/staff.mjs';

const EMAIL = 'kari@moss.kommune.no';
const PASSWORD = 'en lang setning som passord';

const KARI = { email: EMAIL, name: 'Kari Nordmann', password: PASSWORD };

let plain, proxied;

before(async () => {
  plain = await startServer();
  addUser(plain, KARI, 'planlegger');
  proxied = await startServer({ extraArgs: ['--trusted-proxy', '127.0.0.1'] });
  addUser(proxied, KARI, 'planlegger');
});

after(async () => {
  await plain?.stop();
  await proxied?.stop();
});

/** The cookies a response sets, by name: { value, attributes }. */
function setCookies(res) {
  const out = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    out[pair.slice(0, eq)] = { value: pair.slice(eq + 1), attributes: attrs };
  }
  return out;
}

/** Signs in through the real form; returns { session, res }. */
async function signIn(server, headers = {}) {
  const form = await fetch(`${server.url}/logg-inn`, { headers });
  const pre = setCookies(form).pv_pre.value;
  const html = await form.text();
  const csrf = html.match(/name="csrf" value="([^"]+)"/)[1];
  assert.equal(csrf, pre, 'the form carries the pre-session token of its cookie');
  const res = await fetch(`${server.url}/logg-inn`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, Cookie: `pv_pre=${pre}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, email: EMAIL, password: PASSWORD, til: '/arbeid' }),
  });
  assert.equal(res.status, 303, 'a right password signs in');
  const session = setCookies(res).pv_session;
  assert.ok(session, 'sign-in sets the session cookie');
  return { session, res };
}

async function get(server, path, cookie, headers = {}) {
  return fetch(`${server.url}${path}`, { redirect: 'manual', headers: { ...headers, ...(cookie ? { Cookie: `pv_session=${cookie}` } : {}) } });
}

function sql(server, query) {
  return execFileSync('sqlite3', [server.db, query], { encoding: 'utf8' }).trim();
}

test('the session cookie is HttpOnly, SameSite=Lax, Path=/, and not Secure over plain HTTP', async () => {
  const { session } = await signIn(plain);
  assert.match(session.value, /^[A-Za-z0-9_-]{43}$/, '256 random bits as base64url');
  for (const attr of ['HttpOnly', 'SameSite=Lax', 'Path=/']) assert.ok(session.attributes.includes(attr), attr);
  assert.ok(!session.attributes.includes('Secure'));
});

test('every sign-in gets a new token, and only its hash is stored', async () => {
  const one = (await signIn(plain)).session.value;
  const two = (await signIn(plain)).session.value;
  assert.notEqual(one, two);
  assert.ok(Number(sql(plain, 'SELECT count(*) FROM session')) >= 2);
  const dump = execFileSync('sqlite3', [plain.db, '.dump'], { encoding: 'utf8' });
  for (const token of [one, two]) assert.ok(!dump.includes(token), 'the token itself is nowhere in the database');
});

test('after sign-out the old cookie is refused: no replay', async () => {
  const { session } = await signIn(plain);
  const page = await get(plain, '/arbeid', session.value);
  assert.equal(page.status, 200);
  const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)[1];
  const out = await fetch(`${plain.url}/logg-ut`, {
    method: 'POST', redirect: 'manual',
    headers: { Cookie: `pv_session=${session.value}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf }),
  });
  assert.equal(out.status, 303);
  assert.equal(setCookies(out).pv_session.value, '', 'sign-out clears the cookie');
  const replay = await get(plain, '/arbeid', session.value);
  assert.equal(replay.status, 303);
  assert.match(replay.headers.get('location'), /^\/logg-inn\?til=/);
  const api = await get(plain, '/arbeid', session.value, { Accept: 'application/json' });
  assert.equal(api.status, 401);
});

test('a token hash stolen from the database signs nothing in', async () => {
  await signIn(plain);
  const hashes = sql(plain, 'SELECT hex(token_hash) FROM session').split('\n');
  for (const hex of hashes) {
    const raw = Buffer.from(hex, 'hex');
    for (const forged of [hex, hex.toLowerCase(), raw.toString('base64url'), raw.toString('base64')]) {
      const res = await get(plain, '/arbeid', forged);
      assert.equal(res.status, 303, `the stored hash (${forged.slice(0, 8)}…) is not a session`);
      const bearer = await get(plain, '/api/v1/plans', null, { Authorization: `Bearer ${forged}` });
      assert.equal(bearer.status, 401, 'nor an API token');
    }
  }
});

test('an unknown or malformed session cookie is cleared', async () => {
  for (const value of ['A'.repeat(43), 'kort', '../../etc/passwd']) {
    const res = await get(plain, '/arbeid', value);
    assert.equal(res.status, 303);
    assert.equal(setCookies(res).pv_session?.value, '', `cookie ${value} is cleared`);
  }
});

test('X-Forwarded-Proto and X-Forwarded-For count only from the trusted proxy', async () => {
  const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.7' };
  const trusted = await signIn(proxied, forwarded);
  assert.ok(trusted.session.attributes.includes('Secure'), 'behind the proxy over TLS the cookie is Secure');
  assert.equal(sql(proxied, "SELECT address FROM audit_event WHERE action = 'signin.ok' ORDER BY id DESC LIMIT 1"), '203.0.113.7');

  const untrusted = await signIn(plain, forwarded);
  assert.ok(!untrusted.session.attributes.includes('Secure'), 'headers from anyone else are ignored');
  assert.equal(sql(plain, "SELECT address FROM audit_event WHERE action = 'signin.ok' ORDER BY id DESC LIMIT 1"), '127.0.0.1');
});
