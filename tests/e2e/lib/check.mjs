// Independent judges for the pages: axe-core (accessibility, run inside the real Chromium
// page) and the Nu Html Checker (vnu-jar, HTML validity). Both return plain data so that a
// test can assert on it and print what went wrong. judgeInto() is the judge of a browser test:
// axe-core now, the served HTML kept for one run of vnu at the end of the file.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { root, withPage } from './server.mjs';

/** The WCAG 2.1 A + AA rule sets that the Norwegian rule on universal design of ICT asks for. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core on a loaded Playwright page. Returns the list of violations (empty when the
 * page passes), each as { id, impact, help, targets: [selector…] }.
 */
export async function axeViolations(page, { tags = WCAG_TAGS } = {}) {
  const { AxeBuilder } = await import('@axe-core/playwright');
  const results = await new AxeBuilder({ page }).withTags(tags).analyze();
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
}

/** A readable one-violation-per-line text of axeViolations() output, for assertion messages. */
export function formatViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.targets.slice(0, 10).join('\n    ')}`)
    .join('\n');
}

export const vnuJar = path.join(root, 'node_modules/vnu-jar/build/dist/vnu.jar');

/**
 * Validates many HTML documents with ONE run of the Nu Html Checker (the JVM starts slowly).
 * `docs` is a list of { name, html }. Returns a Map name → [{ line, column, message, extract }]
 * of errors (an empty list for a valid document). Rejects if vnu itself fails to run.
 */
export async function vnuErrors(docs, { timeout = 120000 } = {}) {
  if (!existsSync(vnuJar)) throw new Error(`vnu.jar not found at ${vnuJar} (run scripts/deps)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'planverk-vnu-'));
  try {
    const byFile = new Map();
    const result = new Map();
    // A canary: a document with a known error. If vnu does not report it, vnu did not really
    // check the files (it silently skips files it cannot read), and every "valid" is void.
    const canary = path.join(dir, 'canary.html');
    writeFileSync(canary, '<!doctype html><html lang="en"><head><title>c</title></head><body><p><div></div></p></body></html>');
    let canarySeen = false;
    const files = docs.map((doc, i) => {
      const file = path.join(dir, `page-${String(i).padStart(3, '0')}.html`);
      writeFileSync(file, doc.html);
      byFile.set(file, doc.name);
      result.set(doc.name, []);
      return file;
    });
    const text = await new Promise((resolve, reject) => {
      // vnu writes its report to stderr and exits with 1 when it found errors: that is a
      // result, not a failure to run.
      execFile('java', ['-jar', vnuJar, '--errors-only', '--format', 'json', canary, ...files],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout },
        (err, out, errOut) => {
          const all = (errOut || '') + (out || '');
          if (err && !all.includes('"messages"')) reject(new Error(`vnu failed: ${err.message}\n${all}`));
          else resolve(all);
        });
    });
    const report = JSON.parse(text.slice(text.indexOf('{')));
    for (const m of report.messages) {
      // vnu names files as "file:/tmp/…" (one slash); compare paths, not URL spellings.
      const file = m.url ? path.resolve(fileURLToPath(m.url)) : null;
      if (file === canary) { canarySeen = true; continue; }
      const name = byFile.get(file);
      if (name === undefined) throw new Error(`vnu reported something not about a page: ${JSON.stringify(m)}`);
      result.get(name).push({ line: m.lastLine, column: m.firstColumn ?? m.lastColumn, message: m.message, extract: m.extract });
    }
    if (!canarySeen) throw new Error(`vnu did not report the known error of the canary document:\n${text.slice(0, 2000)}`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A readable text of one document's vnu errors, for assertion messages. */
export function formatVnuErrors(errors) {
  return errors.map((e) => `line ${e.line}:${e.column}: ${e.message}\n    ${(e.extract || '').replace(/\n/g, '⏎')}`).join('\n');
}

/**
 * Returns judge(page, name, response, { jsOff }) for one test file: it keeps the served HTML
 * of a page state in `docs` (the file's { name, html } list, for one run of vnu at the end)
 * and asserts now that axe-core finds no violation, and, as the file asks, that the page has
 * exactly one <h1> (`oneH1`) and no <script> (`noScript`). axe-core runs as a script, so a
 * page loaded with JavaScript off (`jsOff`, for the file or for one call) is shown again in a
 * context with JavaScript on: the same URL, its document answered with the HTML that the
 * JavaScript-free page got (stylesheets and images come from the server as usual, so colour
 * contrast is judged on the real styles).
 */
export function judgeInto(docs, { oneH1 = true, noScript = false, jsOff = false } = {}) {
  return async function judge(page, name, response, { jsOff: off = jsOff } = {}) {
    const html = await response.text();
    docs.push({ name, html });
    if (oneH1) assert.equal(await page.locator('h1').count(), 1, `${name}: one <h1>`);
    if (noScript) assert.equal(await page.locator('script').count(), 0, `${name}: no <script>, so it works without JavaScript`);
    const violations = off ? await axeOfCopy(page, response, html) : await axeViolations(page);
    assert.equal(violations.length, 0, `axe violations on ${name}:\n${formatViolations(violations)}`);
  };
}

/** axeViolations() of the HTML `html`, served at the URL of `response` in a page with JavaScript. */
function axeOfCopy(page, response, html) {
  const url = response.url();
  return withPage(page.context().browser(), {}, async (copy) => {
    await copy.route((u) => u.href === url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await copy.goto(url);
    return axeViolations(copy);
  });
}

/** Validates every document of `docs` with one run of vnu; fails with all errors of all pages. */
export async function assertValidHtml(docs) {
  const report = await vnuErrors(docs);
  const failures = [];
  for (const [name, errors] of report) if (errors.length) failures.push(`${name}:\n${formatVnuErrors(errors)}`);
  assert.deepEqual(failures, [], failures.join('\n\n'));
}
