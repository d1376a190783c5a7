// Durability of inputs: many clients post inputs to the API in parallel, the server is killed
// with SIGKILL in the middle (no chance to flush or clean up), restarted on the same database,
// and every input whose receipt (201 with a code) was sent must be found by its code, with its
// text. A reply that says "saved" is sent only after the commit returned (DESIGN.md §2), and
// SQLite in WAL mode with synchronous=FULL keeps a commit across a crash. Prints the counts:
// sent, receipted, found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bin, cli } from './lib/server.mjs';

const SLUG = 'horing-medvirkningsplan';
const TOTAL = 600;        // inputs the clients try to send
const PARALLEL = 32;      // at the same time
const KILL_AFTER = 200;   // receipts seen before the server is killed

/** Starts `planverk serve` on db; resolves { url, child, exited } once it names its URL. */
function serve(db) {
  // Each client gets its own address through the trusted proxy header, so the per-address
  // rate limit (10 in 10 minutes) does not stop the test's many posts.
  const child = spawn(bin, ['serve', '--port', '0', '--listen', '127.0.0.1', '--db', db,
    '--trusted-proxy', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  const url = new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving (http:\/\/[^/\s]+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`server exited (${code}): ${stderr}`)); });
  });
  return url.then((u) => ({ url: u, child, exited }));
}

function clientAddress(i) {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

test('every input whose receipt was sent survives a SIGKILL of the server', { timeout: 180000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'planverk-durability-'));
  try {
    const db = path.join(dir, 'test.db');
    const init = cli(['init', '--demo', '--db', db]);
    assert.equal(init.status, 0, init.stderr);

    const first = await serve(db);
    const receipts = new Map(); // code → text
    let sent = 0;
    let killed = false;
    let next = 0;
    const kill = () => {
      if (!killed) { killed = true; first.child.kill('SIGKILL'); }
    };
    async function client() {
      while (next < TOTAL && !killed) {
        const i = next++;
        const text = `Innspill nummer ${i} i utholdenhetstesten.`;
        sent++;
        try {
          const res = await fetch(`${first.url}/api/v1/processes/${SLUG}/inputs`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': clientAddress(i) },
            body: JSON.stringify({ text, channel: 'sms' }),
            signal: AbortSignal.timeout(20000),
          });
          if (res.status === 201) {
            const body = await res.json();
            receipts.set(body.code, text);
            if (receipts.size >= KILL_AFTER) kill();
          } else if (!killed) {
            assert.fail(`POST ${i}: ${res.status} ${await res.text()}`);
          }
        } catch (e) {
          if (!killed) throw e; // only the kill may break a request
        }
      }
    }
    await Promise.all(Array.from({ length: PARALLEL }, client));
    kill();
    const { signal } = await first.exited;
    assert.equal(signal, 'SIGKILL', 'the server was killed, not stopped');

    const second = await serve(db);
    let found = 0;
    const missing = [];
    for (const [code, text] of receipts) {
      const res = await fetch(`${second.url}/api/v1/receipts/${code}`, { signal: AbortSignal.timeout(20000) });
      if (res.status === 200 && (await res.json()).input.text === text) found++;
      else missing.push(code);
    }
    second.child.kill('SIGTERM');
    const end = await second.exited;
    console.log(`durability: sent ${sent}, receipted ${receipts.size}, found ${found} after SIGKILL and restart`);
    assert.ok(receipts.size >= KILL_AFTER, `receipted ${receipts.size}`);
    assert.deepEqual(missing, [], `receipted but lost: ${missing.length}`);
    assert.equal(found, receipts.size);
    assert.equal(end.code, 0, `the restarted server stopped with ${end.code ?? end.signal}: ${end.stderr.slice(-2000)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
