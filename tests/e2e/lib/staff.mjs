// The staff side of a browser test: users made with the CLI, signing in through the real
// form, and the session cookie and CSRF token that a signed-in page holds (for requests made
// beside the browser). Every function takes the server it works on.
import assert from 'node:assert/strict';
import { cli } from './server.mjs';

/** Adds a user ({ email, name, password }) with roles (comma-separated) through the command
 * line; returns the user's id. */
export function addUser(server, user, roles) {
  const res = cli(['user', 'add', '--db', server.db, '--email', user.email, '--name', user.name,
    '--role', roles, '--password-stdin'], { input: user.password + '\n' });
  assert.equal(res.status, 0, res.stderr);
  return Number(res.stdout.match(/added user (\d+)/)[1]);
}

/** Signs user in through the form at /logg-inn; resolves once /arbeid has loaded. */
export async function signIn(server, page, user) {
  await page.goto(server.url + '/logg-inn');
  await page.fill('#signin-email', user.email);
  await page.fill('#signin-password', user.password);
  await Promise.all([page.waitForURL((u) => u.pathname === '/arbeid'), page.click('form.signin-form button')]);
}

/** The session token of a browser context (the pv_session cookie). */
export async function sessionOf(server, context) {
  return (await context.cookies(server.url)).find((c) => c.name === 'pv_session').value;
}

/** The CSRF token of the signed-in page (the hidden field of the sign-out form). */
export function csrfOf(page) {
  return page.locator('form.staff-bar__signout input[name="csrf"]').getAttribute('value');
}
