// Starts a real planverk server for a test: a fresh database with the Moss demo data in a
// temporary folder, a free port chosen by the kernel, and an orderly stop (SIGTERM) whose
// exit status is checked — under AddressSanitizer a leak or a crash fails the test.
// Uses PLANVERK_BIN (scripts/test sets it to the ASan build), else build/planverk.
// Also the browser side that every page test shares: Chromium, a fresh context per test,
// and the bound of every wait (WAIT; never a fixed sleep).
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bound of every wait for a page condition or a request, in ms. */
export const WAIT = 15000;

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const bin = process.env.PLANVERK_BIN || path.join(root, 'build/planverk');

/**
 * Runs the planverk CLI; returns { status, stdout, stderr }. options.input is written to its
 * standard input (e.g. a password for `user add --password-stdin`).
 */
export function cli(args, options = {}) {
  try {
    const stdin = options.input === undefined ? 'ignore' : 'pipe';
    const stdout = execFileSync(bin, args, { encoding: 'utf8', stdio: [stdin, 'pipe', 'pipe'], ...options });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    return { status: e.status, stdout: e.stdout?.toString() ?? '', stderr: e.stderr?.toString() ?? '' };
  }
}

/**
 * Starts a server. Returns { url, db, dir, pid, stderr(), stop() }. stop() resolves with the exit code and
 * rejects if the process does not end within 20 s.
 */
export async function startServer({ extraArgs = [] } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'planverk-test-'));
  const db = path.join(dir, 'test.db');
  const init = cli(['init', '--demo', '--db', db]);
  if (init.status !== 0) throw new Error(`planverk init failed: ${init.stderr}`);

  const child = spawn(bin, ['serve', '--port', '0', '--listen', '127.0.0.1', '--db', db, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  // Wait for the line that names the URL (bounded by a timeout, not a sleep).
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving (http:\/\/[^/\s]+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`server exited (${code}): ${stderr}`)); });
  });

  async function stop() {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    const { code, signal } = await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
    if (code !== 0) throw new Error(`server exited with ${code ?? signal}:\n${stderr.slice(-4000)}`);
    return code;
  }
  return { url, db, dir, stop, stderr: () => stderr, pid: child.pid };
}

/** Chromium from Debian, driven by playwright-core; never through a proxy. */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-proxy-server'],
  });
}

/**
 * Runs fn(page, context) in a fresh browser context (own cookies) with one page, and always
 * closes it. `options` go to browser.newContext(); a Norwegian reader (nb-NO) unless they ask
 * for a locale or an Accept-Language: Chromium would send en-US.
 */
export async function withPage(browser, options, fn) {
  const asked = options.locale || options.extraHTTPHeaders?.['Accept-Language'];
  const context = await browser.newContext(asked ? options : { locale: 'nb-NO', ...options });
  context.setDefaultTimeout(WAIT);
  context.setDefaultNavigationTimeout(WAIT);
  try {
    return await fn(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

/** Runs action (a click, a key) and returns the response of the page it leads to (after a
 * 303, the page redirected to), once that page has loaded. */
export async function navigate(page, action) {
  const [response] = await Promise.all([page.waitForNavigation(), action()]);
  return response;
}

/** Opens path p of the server in page and asserts the status; returns the response. */
export async function open(server, page, p, status = 200) {
  const res = await page.goto(server.url + p);
  assert.equal(res.status(), status, `GET ${p}`);
  return res;
}

/**
 * The calendar day offsetDays from today in the municipality's time zone, "YYYY-MM-DD" — the
 * server's dates and deadlines are Norwegian (TZ=Europe/Oslo), whatever this machine uses.
 */
export function osloDay(offsetDays = 0) {
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(new Date());
  const [y, m, d] = today.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + offsetDays)).toISOString().slice(0, 10);
}
