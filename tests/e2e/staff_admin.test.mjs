// The staff pages about people, in a real Chromium against a real server (the ASan build
// under scripts/test): an admin adds a user at /arbeid/brukere and hands over the one-time
// link; the new user sets a password with it and lands on /arbeid; roles change what the user
// may open; disabling ends the user's session; the sign-in throttle refuses a sixth attempt
// with 429 before checking the password; a locked account refuses the right password until
// an admin unlocks it in the browser; /arbeid/logg lists the events with filters and paging;
// /arbeid/meg changes the password (the other sessions end) and makes API tokens (one that
// reads the API as its user, a read-only one that is refused a change); the back button after
// signing out shows no staff data; the add-user form works by keyboard alone. axe-core and
// the Nu Html Checker judge every state of every page added, also with validation errors.
//
// Each browser context claims its own client address (X-Forwarded-For, believed from the
// trusted proxy 127.0.0.1), so that the throttle of one test does not slow another.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, launchBrowser, WAIT, withPage, navigate } from './lib/server.mjs';
import { judgeInto, vnuErrors, formatVnuErrors } from './lib/check.mjs';
import { addUser, signIn, csrfOf } from './lib/staff.mjs';

const T = { timeout: 120000 };
const ADMIN = { email: 'ada.admin@moss.kommune.no', name: 'Ada Admin', password: 'ada sitt lange passord' };
const NEW_USER = { email: 'pia.planlegger@moss.kommune.no', name: 'Pia Planlegger', password: 'pia velger et godt passord' };

let server;
let browser;
let address = 10; // each context claims its own client address
const docs = []; // { name, html }: every state of every page, for one run of vnu at the end
const judge = judgeInto(docs, { oneH1: false });

before(async () => {
  server = await startServer({ extraArgs: ['--trusted-proxy', '127.0.0.1'] });
  browser = await launchBrowser();
  addUser(server, ADMIN, 'admin');
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await server?.stop(); // throws on a non-zero exit status (a leak under ASan)
}, { timeout: 60000 });

// ---------------------------------------------------------------- helpers

function sql(statement) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', server.db, statement], { encoding: 'utf8' }).trim();
}

/** withPage() in a context that claims a client address of its own (X-Forwarded-For). */
function withClient(options, fn) {
  const xff = `10.0.${address++}.1`;
  return withPage(browser, { ...options, extraHTTPHeaders: { 'X-Forwarded-For': xff, ...(options.extraHTTPHeaders || {}) } }, fn);
}

/** Submits the form that holds `button`; returns the response of the resulting page. */
function submit(page, button) {
  return navigate(page, () => button.click());
}

/** The id of a user by e-mail, from the list at /arbeid/brukere (as a signed-in admin). */
async function userId(page, email) {
  await page.goto(server.url + '/arbeid/brukere');
  const href = await page.locator('table tr', { hasText: email }).locator('a').getAttribute('href');
  return Number(href.split('/').pop());
}

// ---------------------------------------------------------------- the focus, as in pages.test.mjs

function focusState(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body' };
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    const field = el.closest('.ds-field');
    const fieldShadow = field ? getComputedStyle(field).boxShadow : 'none';
    return {
      tag: el.tagName.toLowerCase(), id: el.id, type: el.getAttribute('type'),
      text: (el.innerText || el.value || '').trim(),
      visible: outline || shadow || (fieldShadow && fieldShadow !== 'none'),
      describe: el.outerHTML.slice(0, 160),
    };
  });
}

async function tabTo(page, want, { key = 'Tab', max = 200, label = 'target' } = {}) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focusState(page);
    assert.notEqual(f.tag, 'body', `focus fell back to <body> after ${i + 1} × ${key}`);
    assert.ok(f.visible, `focus is not visible on ${f.describe}`);
    seen.push(f.id || f.text || f.tag);
    if (want(f)) return f;
  }
  assert.fail(`no ${label} after ${max} × ${key}; focus went through: ${seen.slice(-30).join(' | ')}`);
}

// ---------------------------------------------------------------- 1. adding a user

let newUserLink;
let newUserId;

test('an admin adds a user by keyboard alone; errors show next to the fields with the summary', T, async () => {
  await withClient({}, async (page) => {
    await signIn(server, page, ADMIN);
    let res = await page.goto(server.url + '/arbeid/brukere');
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('h1').innerText(), 'Brukere');
    await judge(page, 'GET /arbeid/brukere', res);
    assert.match(await page.locator('table').innerText(), /Ada Admin \(deg\)\s+ada\.admin@moss\.kommune\.no\s+Administrator\s+Aktiv/);

    // An empty name, a broken e-mail, no role: three errors, the input kept.
    await tabTo(page, (f) => f.id === 'user-email', { label: 'the e-mail field' });
    await page.keyboard.type('pia.planlegger@moss');
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Legg til brukeren', { label: 'the submit button' });
    res = await navigate(page, () => page.keyboard.press('Enter'));
    assert.equal(res.status(), 400);
    const summary = page.locator('.ds-error-summary');
    assert.ok(await summary.isVisible());
    assert.deepEqual(await summary.locator('a').allInnerTexts(), [
      'Skriv en gyldig e-postadresse, for eksempel navn@moss.kommune.no.',
      'Skriv navnet til brukeren.',
      'Velg minst én rolle.']);
    assert.equal(await page.inputValue('#user-email'), 'pia.planlegger@moss', 'the input is kept');
    assert.equal(await page.getAttribute('#user-email', 'aria-invalid'), 'true');
    const described = await page.getAttribute('#user-email', 'aria-describedby');
    assert.equal(await page.locator(`#${described}`).innerText(), 'Skriv en gyldig e-postadresse, for eksempel navn@moss.kommune.no.');
    assert.equal(await page.getAttribute('#user-role-admin', 'aria-invalid'), 'true');
    await judge(page, 'POST /arbeid/brukere with errors', res);

    // Now right, by keyboard: from the summary's first link to its field, then the fields
    // filled, a checkbox ticked with Space, Enter to send.
    await tabTo(page, (f) => f.tag === 'a' && f.text.startsWith('Skriv en gyldig e-postadresse'), { label: 'the first link of the error summary' });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'user-email');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(NEW_USER.email);
    await tabTo(page, (f) => f.id === 'user-name', { max: 3, label: 'the name field' });
    await page.keyboard.type(NEW_USER.name);
    await tabTo(page, (f) => f.id === 'user-role-planlegger', { max: 5, label: 'the planlegger checkbox' });
    await page.keyboard.press('Space');
    assert.ok(await page.isChecked('#user-role-planlegger'));
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Legg til brukeren', { max: 5, label: 'the submit button' });
    res = await navigate(page, () => page.keyboard.press('Enter'));
    assert.equal(res.status(), 200);
    const alert = page.locator('.admin-link');
    assert.match(await alert.innerText(), /Pia Planlegger er lagt til/);
    assert.match(await alert.innerText(), /Lenken vises bare nå/);
    newUserLink = await page.inputValue('#ny-lenke');
    assert.match(newUserLink, new RegExp(`^${server.url}/logg-inn/lenke/[A-Za-z0-9_-]{43}$`));
    assert.match(await page.locator('table').innerText(), /Pia Planlegger\s+pia\.planlegger@moss\.kommune\.no\s+Planlegger\s+Har ikke valgt passord ennå/);
    assert.equal(await page.inputValue('#user-email'), '', 'the form is empty again');
    await judge(page, 'POST /arbeid/brukere: the link shown once', res);

    // The link is shown once: the list does not show it again, and the database lacks it.
    res = await page.goto(server.url + '/arbeid/brukere');
    assert.ok(!(await res.text()).includes(newUserLink.split('/').pop()));
    const dump = execFileSync('sqlite3', ['-cmd', '.timeout 5000', server.db, '.dump'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.ok(!dump.includes(newUserLink.split('/').pop()), 'the database holds only the hash of the link');
    newUserId = await userId(page, NEW_USER.email);

    // The same e-mail again, in other letters: refused next to the field.
    await page.fill('#user-email', NEW_USER.email.toUpperCase());
    await page.fill('#user-name', 'Pia igjen');
    await page.check('#user-role-leser');
    res = await submit(page, page.locator('form.admin-form button'));
    assert.equal(res.status(), 409);
    assert.equal(await page.locator('#user-email-feil').innerText(), 'Det finnes allerede en bruker med denne e-postadressen.');
    assert.ok(await page.isChecked('#user-role-leser'), 'the ticked roles are kept');
  });
});

test('the new user opens the link (JavaScript off), sets a password and lands on /arbeid', T, async () => {
  assert.ok(newUserLink, 'the previous test made a link');
  await withClient({ javaScriptEnabled: false }, async (page) => {
    await page.goto(newUserLink);
    assert.equal(await page.locator('h1').innerText(), 'Velg passord');
    await page.fill('#link-password', NEW_USER.password);
    await page.fill('#link-repeat', NEW_USER.password + ' ');
    let res = await submit(page, page.locator('form button'));
    assert.equal(res.status(), 400);
    assert.match(await page.locator('.ds-error-summary').innerText(), /Passordene er ikke like/);
    await page.fill('#link-password', NEW_USER.password);
    await page.fill('#link-repeat', NEW_USER.password);
    await Promise.all([page.waitForURL((u) => u.pathname === '/arbeid'), page.click('form button')]);
    assert.equal(await page.locator('h1').innerText(), 'Arbeidsflate');
    assert.match(await page.locator('.staff-bar').innerText(), /Pia Planlegger/);
    // A planner has no business in the user list or the log.
    res = await page.goto(server.url + '/arbeid/brukere');
    assert.equal(res.status(), 403);
    res = await page.goto(server.url + '/arbeid/logg');
    assert.equal(res.status(), 403);
    // The link works once.
    res = await page.goto(newUserLink);
    assert.equal(res.status(), 404);
  });
});

// ---------------------------------------------------------------- 2. roles, disabling

test('roles change what the user may open; an admin keeps their own admin role', T, async () => {
  await withClient({}, async (adminPage) => {
    await signIn(server, adminPage, ADMIN);
    await withClient({}, async (userPage) => {
      await signIn(server, userPage, NEW_USER);
      let res = await userPage.goto(server.url + '/arbeid/logg');
      assert.equal(res.status(), 403);

      res = await adminPage.goto(`${server.url}/arbeid/brukere/${newUserId}`);
      assert.equal(res.status(), 200);
      assert.equal(await adminPage.locator('h1').innerText(), 'Pia Planlegger');
      await judge(adminPage, 'GET /arbeid/brukere/{id}', res);
      await adminPage.check('#role-radgiver');
      await adminPage.uncheck('#role-planlegger');
      res = await submit(adminPage, adminPage.locator('form[action$="/roller"] button'));
      assert.equal(res.request().redirectedFrom()?.method(), 'POST', 'the form answers with a redirect');
      assert.match(adminPage.url(), /\?endret=roller$/);
      assert.equal(await adminPage.locator('.ds-alert[role="status"]').innerText(), 'Rollene er lagret.');
      assert.match(await adminPage.locator('dl.facts').innerText(), /Roller\s+Medvirkningsrådgiver\n/);
      await judge(adminPage, 'GET /arbeid/brukere/{id}?endret=roller', res);

      // The user's very next request has the new roles.
      res = await userPage.goto(server.url + '/arbeid/logg');
      assert.equal(res.status(), 200);
      assert.equal(await userPage.locator('nav.staff-nav a[href="/arbeid/brukere"]').count(), 0, 'no link to the user list');

      // No role at all: refused next to the checkboxes.
      for (const role of ['admin', 'radgiver', 'planlegger', 'prosesseier', 'leser']) await adminPage.uncheck(`#role-${role}`);
      res = await submit(adminPage, adminPage.locator('form[action$="/roller"] button'));
      assert.equal(res.status(), 400);
      assert.equal(await adminPage.locator('#roles-feil').innerText(), 'Velg minst én rolle.');
      await judge(adminPage, 'POST /arbeid/brukere/{id}/roller with an error', res);
    });

    // The admin's own page: the admin role stays, and there is no button to disable oneself.
    const me = await userId(adminPage, ADMIN.email);
    await adminPage.goto(`${server.url}/arbeid/brukere/${me}`);
    assert.equal(await adminPage.locator('form[action$="/deaktiver"]').count(), 0);
    assert.match(await adminPage.locator('section[aria-labelledby="tilgang"]').innerText(), /Du kan ikke deaktivere deg selv/);
    await adminPage.uncheck('#role-admin');
    await adminPage.check('#role-leser');
    let res = await submit(adminPage, adminPage.locator('form[action$="/roller"] button'));
    assert.equal(res.status(), 400);
    assert.equal(await adminPage.locator('#roles-feil').innerText(), 'Du kan ikke fjerne din egen administratorrolle.');
    assert.ok(await adminPage.isChecked('#role-leser'), 'what was ticked is kept');
    // Nor through a hand-made request.
    const csrf = await csrfOf(adminPage);
    res = await adminPage.request.post(`${server.url}/arbeid/brukere/${me}/deaktiver`, { form: { csrf }, maxRedirects: 0 });
    assert.equal(res.status(), 409);
    assert.equal(sql(`SELECT disabled FROM user WHERE id = ${me}`), '0');
    assert.equal(sql(`SELECT group_concat(role) FROM user_role WHERE user_id = ${me}`), 'admin');
  });
});

test('disabling a user ends their session: their next request goes to /logg-inn', T, async () => {
  await withClient({}, async (adminPage) => {
    await signIn(server, adminPage, ADMIN);
    await withClient({}, async (userPage) => {
      await signIn(server, userPage, NEW_USER);
      await adminPage.goto(`${server.url}/arbeid/brukere/${newUserId}`);
      let res = await submit(adminPage, adminPage.locator('form[action$="/deaktiver"] button'));
      assert.match(adminPage.url(), /\?endret=deaktivert$/);
      assert.equal(await adminPage.locator('.ds-alert[role="status"]').innerText(), 'Brukeren er deaktivert og logget ut overalt.');
      assert.match(await adminPage.locator('dl.facts').innerText(), /Tilstand\s+Deaktivert/);

      await userPage.goto(server.url + '/arbeid');
      assert.equal(new URL(userPage.url()).pathname, '/logg-inn');
      assert.equal(new URL(userPage.url()).searchParams.get('til'), '/arbeid');
      // … and cannot sign in again.
      await userPage.fill('#signin-email', NEW_USER.email);
      await userPage.fill('#signin-password', NEW_USER.password);
      res = await submit(userPage, userPage.locator('form.signin-form button'));
      assert.equal(res.status(), 200);
      assert.match(await userPage.locator('.ds-error-summary').innerText(), /Feil e-post eller passord/);

      // Enabled again, the user signs in as before.
      await submit(adminPage, adminPage.locator('form[action$="/aktiver"] button'));
      assert.equal(await adminPage.locator('.ds-alert[role="status"]').innerText(), 'Brukeren er aktivert igjen.');
      await signIn(server, userPage, NEW_USER);
    });
  });
});

// ---------------------------------------------------------------- 3. throttle and lock

async function preToken(xff) {
  const res = await fetch(server.url + '/logg-inn', { headers: { 'x-forwarded-for': xff } });
  await res.text();
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('pv_pre='));
  return cookie.split(';')[0].slice('pv_pre='.length);
}

async function attempt(email, password, xff, pre) {
  const res = await fetch(server.url + '/logg-inn', {
    method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(WAIT),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `pv_pre=${pre}`, 'x-forwarded-for': xff },
    body: new URLSearchParams({ csrf: pre, email, password, til: '/arbeid' }),
  });
  return { status: res.status, text: await res.text(), retryAfter: res.headers.get('retry-after') };
}

test('the throttle: five wrong passwords, then a sixth attempt is refused with 429 before checking', T, async () => {
  // The first delay is one second of the server's clock (whole seconds), so the sixth attempt
  // must land in the same second as the fifth failure. The server shares this machine's
  // clock: a round counts only when the fifth answer came back early in the second it was
  // sent in; on a machine too busy for that, the round is repeated with a new account.
  let round = null;
  for (let tries = 1; tries <= 5 && !round; tries++) {
    const user = { email: `tor.throttle${tries}@moss.kommune.no`, name: 'Tor Throttle', password: 'tor har et riktig passord' };
    const id = addUser(server, user, 'leser');
    const xff = `10.9.${address++}.1`;
    const pre = await preToken(xff);
    for (let i = 1; i <= 4; i++) {
      const r = await attempt(user.email, `feil passord ${i}`, xff, pre);
      assert.equal(r.status, 200, `wrong password ${i} is checked and refused`);
      assert.match(r.text, /Feil e-post eller passord/);
    }
    while (Date.now() % 1000 > 100) await new Promise((resolve) => setTimeout(resolve, 5));
    const sent = Date.now();
    const fifth = await attempt(user.email, 'feil passord 5', xff, pre);
    assert.equal(fifth.status, 200);
    const back = Date.now();
    if (Math.floor(back / 1000) !== Math.floor(sent / 1000) || back % 1000 > 700) continue;
    round = { user, id, xff, pre, sixth: await attempt(user.email, user.password, xff, pre) }; // the RIGHT password
  }
  assert.ok(round, 'in five rounds the fifth attempt was never answered early in its second');
  const { user, id, xff, pre, sixth } = round;
  assert.equal(sixth.status, 429, 'the sixth attempt is refused, even with the right password');
  assert.match(sixth.text, /For mange mislykkede forsøk/);
  assert.ok(Number(sixth.retryAfter) >= 1, `Retry-After: ${sixth.retryAfter}`);
  assert.equal(sql(`SELECT failures FROM user WHERE id = ${id}`), '5', 'the refused attempt is not another failure');
  assert.equal(sql(`SELECT json_extract(changes, '$.reason[1]') FROM audit_event WHERE object_id = '${id}' ORDER BY id DESC LIMIT 1`), 'throttled');
  // After the wait the server asked for, the right password works.
  await new Promise((resolve) => setTimeout(resolve, 1100 * Number(sixth.retryAfter)));
  const later = await attempt(user.email, user.password, xff, pre);
  assert.equal(later.status, 303);
});

test('a locked account refuses the right password until an admin unlocks it in the browser', T, async () => {
  const user = { email: 'lise.laast@moss.kommune.no', name: 'Lise Låst', password: 'lise sitt riktige passord' };
  const id = addUser(server, user, 'leser');
  // Nine failures a few minutes ago (inserted), then the tenth for real: the account locks.
  sql(`UPDATE user SET failures = 9, failures_first_at = strftime('%s','now') - 300,
       failures_last_at = strftime('%s','now') - 120 WHERE id = ${id}`);
  await withClient({}, async (page) => {
    await page.goto(server.url + '/logg-inn');
    await page.fill('#signin-email', user.email);
    await page.fill('#signin-password', 'et feil passord');
    let res = await submit(page, page.locator('form.signin-form button'));
    assert.equal(res.status(), 200);
    assert.ok(Number(sql(`SELECT locked_until - strftime('%s','now') FROM user WHERE id = ${id}`)) > 800, 'locked for fifteen minutes');
    await page.fill('#signin-password', user.password);
    res = await submit(page, page.locator('form.signin-form button'));
    assert.equal(res.status(), 429, 'the right password is refused while locked');
    assert.match(await page.locator('.ds-error-summary').innerText(), /be en administrator om hjelp/);

    await withClient({}, async (adminPage) => {
      await signIn(server, adminPage, ADMIN);
      await adminPage.goto(server.url + '/arbeid/brukere');
      assert.match(await adminPage.locator('tr', { hasText: user.email }).innerText(), /Sperret etter mislykkede innlogginger/);
      res = await adminPage.goto(`${server.url}/arbeid/brukere/${id}`);
      assert.match(await adminPage.locator('dl.facts').innerText(), /Mislykkede innlogginger siste 15 minutter\s+10/);
      await judge(adminPage, 'GET /arbeid/brukere/{id} of a locked user', res);
      await submit(adminPage, adminPage.getByRole('button', { name: 'Opphev sperren' }));
      assert.equal(await adminPage.locator('.ds-alert[role="status"]').innerText(), 'Sperren er opphevet. Brukeren kan logge inn igjen.');
      assert.match(await adminPage.locator('dl.facts').innerText(), /Tilstand\s+Aktiv/);
    });

    await page.fill('#signin-email', user.email);
    await page.fill('#signin-password', user.password);
    await Promise.all([page.waitForURL((u) => u.pathname === '/arbeid'), page.click('form.signin-form button')]);
  });
});

// ---------------------------------------------------------------- 4. the log

test('/arbeid/logg lists the events newest first, with filters, paging and JSON', T, async () => {
  await withClient({}, async (page) => {
    await signIn(server, page, ADMIN);
    // Enough events for more than one page: 30 users added through the JSON form of the page.
    const csrf = await csrfOf(page);
    for (let i = 0; i < 30; i++) {
      const res = await page.request.post(server.url + '/arbeid/brukere', {
        headers: { Accept: 'application/json', 'X-CSRF-Token': csrf },
        data: { email: `masse${i}@moss.kommune.no`, name: `Masse ${i}`, roles: ['leser'] },
      });
      assert.equal(res.status(), 200, await res.text());
    }

    let res = await page.goto(server.url + '/arbeid/logg');
    assert.equal(res.status(), 200);
    await judge(page, 'GET /arbeid/logg', res);
    const rows = page.locator('table.log-table tbody tr');
    assert.equal(await rows.count(), 50);
    const first = await rows.first().innerText();
    assert.match(first, /ada\.admin@moss\.kommune\.no\s+user\.link\s+user \d+\s+expires_at: – →\s+blir\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+[\d.]+$/);

    // Older events: the next page continues below, without overlap.
    const firstPage = await page.locator('table.log-table tbody tr td:nth-child(4)').allInnerTexts();
    res = await navigate(page, () => page.getByRole('link', { name: 'Eldre hendelser' }).click());
    assert.match(page.url(), /eldre_enn=\d+/);
    await judge(page, 'GET /arbeid/logg?eldre_enn', res);
    const json = await (await page.request.get(page.url(), { headers: { Accept: 'application/json' } })).json();
    const firstJson = await (await page.request.get(server.url + '/arbeid/logg', { headers: { Accept: 'application/json' } })).json();
    assert.equal(firstJson.events.length, 50);
    assert.equal(firstJson.events.map((e) => (e.object_type ? `${e.object_type} ${e.object_id}` : '–')).join('|'), firstPage.join('|'));
    const ids = [...firstJson.events, ...json.events].map((e) => e.id);
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i] < ids[i - 1], 'newest first, no event twice');

    // Filter by action with the select.
    await page.goto(server.url + '/arbeid/logg');
    await page.selectOption('#logg-handling', 'user.disable');
    await Promise.all([page.waitForURL(/handling=user\.disable/), page.click('form.log-filters button')]);
    const actions = await page.locator('table.log-table tbody td:nth-child(3)').allInnerTexts();
    assert.ok(actions.length >= 1);
    assert.ok(actions.every((a) => a === 'user.disable'), actions.join(', '));
    assert.match(await page.locator('table.log-table tbody tr').first().innerText(), /disabled: false →\s+blir\s+true/);
    assert.equal(await page.inputValue('#logg-handling'), 'user.disable');

    // Every action of one kind (a prefix), by one actor.
    res = await page.goto(`${server.url}/arbeid/logg?handling=signin.&av=${encodeURIComponent(NEW_USER.email)}`);
    const kinds = await page.locator('table.log-table tbody td:nth-child(3)').allInnerTexts();
    assert.ok(kinds.includes('signin.ok') && kinds.includes('signin.failed'), kinds.join(', '));
    assert.ok((await page.locator('table.log-table tbody td:nth-child(2)').allInnerTexts()).every((a) => a === NEW_USER.email));
    await judge(page, 'GET /arbeid/logg with filters', res);

    // One object: from the user's page to its history.
    await page.goto(`${server.url}/arbeid/brukere/${newUserId}`);
    await Promise.all([page.waitForURL(/type=user&id=/), page.getByRole('link', { name: 'Se alle hendelser for denne brukeren i loggen' }).click()]);
    const objects = await page.locator('table.log-table tbody td:nth-child(4)').allInnerTexts();
    assert.ok(objects.length >= 5 && objects.every((o) => o === `user ${newUserId}`), objects.join(', '));
    const history = (await page.locator('table.log-table tbody td:nth-child(3)').allInnerTexts()).reverse();
    assert.deepEqual(history.slice(0, 3), ['user.add', 'user.link', 'user.password']);
    assert.ok(!(await page.content()).includes(NEW_USER.password), 'no password in the log');

    // Nothing found, said in words; a broken page number is refused.
    res = await page.goto(server.url + '/arbeid/logg?av=ingen%40moss.kommune.no');
    assert.match(await page.locator('main').innerText(), /Ingen hendelser passer med filtrene/);
    await judge(page, 'GET /arbeid/logg with no events', res);
    res = await page.goto(server.url + '/arbeid/logg?eldre_enn=x');
    assert.equal(res.status(), 400);
  });
});

// ---------------------------------------------------------------- 5. own account

test('/arbeid/meg: a new password ends the other sessions; a wrong current one is refused', T, async () => {
  await withClient({}, async (pageA) => {
    await signIn(server, pageA, NEW_USER);
    await withClient({}, async (pageB) => {
      await signIn(server, pageB, NEW_USER);
      let res = await pageA.goto(server.url + '/arbeid/meg');
      assert.equal(res.status(), 200);
      assert.match(await pageA.locator('dl.facts').innerText(), /Pia Planlegger[\s\S]*pia\.planlegger@moss\.kommune\.no[\s\S]*Medvirkningsrådgiver/);
      await judge(pageA, 'GET /arbeid/meg', res);

      await pageA.fill('#account-current', 'ikke mitt passord');
      await pageA.fill('#account-password', 'kort');
      await pageA.fill('#account-repeat', 'kort');
      res = await submit(pageA, pageA.locator('form[action="/arbeid/meg/passord"] button'));
      assert.equal(res.status(), 400);
      assert.equal(await pageA.locator('#account-password-feil').innerText(), 'Passordet må ha minst 12 tegn.');
      await judge(pageA, 'POST /arbeid/meg/passord with errors', res);

      const fresh = 'pia sitt nye passord i dag';
      await pageA.fill('#account-current', 'ikke mitt passord');
      await pageA.fill('#account-password', fresh);
      await pageA.fill('#account-repeat', fresh);
      res = await submit(pageA, pageA.locator('form[action="/arbeid/meg/passord"] button'));
      assert.equal(res.status(), 400);
      assert.equal(await pageA.locator('#account-current-feil').innerText(), 'Det nåværende passordet er feil.');

      await pageA.fill('#account-current', NEW_USER.password);
      await pageA.fill('#account-password', fresh);
      await pageA.fill('#account-repeat', fresh);
      res = await submit(pageA, pageA.locator('form[action="/arbeid/meg/passord"] button'));
      assert.match(pageA.url(), /\/arbeid\/meg\?endret=passord$/);
      assert.equal(await pageA.locator('.ds-alert[role="status"]').innerText(), 'Passordet er byttet. Du er logget ut på alle andre enheter.');
      await judge(pageA, 'GET /arbeid/meg?endret=passord', res);

      // B's session is over; A's goes on.
      await pageB.goto(server.url + '/arbeid');
      assert.equal(new URL(pageB.url()).pathname, '/logg-inn');
      res = await pageA.goto(server.url + '/arbeid');
      assert.equal(res.status(), 200);
      // The old password no longer works, the new one does.
      await pageB.fill('#signin-email', NEW_USER.email);
      await pageB.fill('#signin-password', NEW_USER.password);
      res = await submit(pageB, pageB.locator('form.signin-form button'));
      assert.match(await pageB.locator('.ds-error-summary').innerText(), /Feil e-post eller passord/);
      NEW_USER.password = fresh;
      await signIn(server, pageB, NEW_USER);
      const event = sql(`SELECT changes FROM audit_event WHERE action = 'user.password' AND object_id = '${newUserId}' ORDER BY id DESC LIMIT 1`);
      assert.equal(event, '{"password":["…","changed"]}');
      assert.equal(sql(`SELECT count(*) FROM audit_event WHERE changes LIKE '%${fresh}%' OR changes LIKE '%argon2%'`), '0');
    });
  });
});

test('/arbeid/meg: API tokens act as their user; a read-only one is refused a change; revoked ones stop', T, async () => {
  await withClient({}, async (page) => {
    await signIn(server, page, ADMIN);
    await page.goto(server.url + '/arbeid/meg');
    // No name: refused next to the field.
    let res = await submit(page, page.locator('form[action="/arbeid/meg/nokler"] button'));
    assert.equal(res.status(), 400);
    assert.equal(await page.locator('#token-name-feil').innerText(), 'Gi nøkkelen et navn, for eksempel hva den skal brukes til.');
    await judge(page, 'POST /arbeid/meg/nokler with an error', res);

    async function makeToken(name, readOnly) {
      await page.goto(server.url + '/arbeid/meg');
      await page.fill('#token-name', name);
      if (readOnly) await page.check('#token-read-only');
      const r = await submit(page, page.locator('form[action="/arbeid/meg/nokler"] button'));
      assert.equal(r.status(), 200);
      assert.equal(await page.locator('h1').innerText(), 'Ny API-nøkkel');
      assert.match(await page.locator('main').innerText(), /vises bare denne ene gangen/);
      const token = await page.inputValue('#ny-nokkel');
      assert.match(token, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(await page.getAttribute('#ny-nokkel', 'readonly'), '');
      return { token, response: r };
    }
    const writer = await makeToken('Skript for brukere', false);
    await judge(page, 'POST /arbeid/meg/nokler: the token shown once', writer.response);
    const reader = await makeToken('Rapport (bare lese)', true);

    const bearer = (t, extra = {}) => ({ Authorization: `Bearer ${t}`, ...extra });
    // Reads the API …
    let api = await fetch(server.url + '/api/v1/plans', { headers: bearer(writer.token) });
    assert.equal(api.status, 200);
    assert.ok((await api.json()).total > 0);
    // … as its user.
    api = await fetch(server.url + '/arbeid/meg', { headers: bearer(writer.token, { Accept: 'application/json' }) });
    assert.equal(api.status, 200);
    const me = await api.json();
    assert.equal(me.account.email, ADMIN.email);
    assert.ok(!JSON.stringify(me).includes(writer.token), 'a token is never shown again');
    // A change with the full token goes through (with the user's roles); read-only is refused.
    const body = (email) => JSON.stringify({ email, name: 'Fra API', roles: ['leser'] });
    api = await fetch(server.url + '/arbeid/brukere', { method: 'POST', headers: bearer(writer.token, { 'Content-Type': 'application/json', Accept: 'application/json' }), body: body('fra.api@moss.kommune.no') });
    assert.equal(api.status, 200);
    api = await fetch(server.url + '/arbeid/brukere', { method: 'POST', headers: bearer(reader.token, { 'Content-Type': 'application/json', Accept: 'application/json' }), body: body('lesenokkel@moss.kommune.no') });
    assert.equal(api.status, 403);
    assert.match((await api.json()).detail, /kan bare lese/);
    assert.equal(sql(`SELECT count(*) FROM user WHERE email = 'lesenokkel@moss.kommune.no'`), '0');
    api = await fetch(server.url + '/api/v1/plans', { headers: bearer(reader.token) });
    assert.equal(api.status, 200, 'the read-only token reads');
    // A token cannot mint tokens.
    api = await fetch(server.url + '/arbeid/meg/nokler', { method: 'POST', headers: bearer(writer.token, { 'Content-Type': 'application/json', Accept: 'application/json' }), body: '{"name": "mer"}' });
    assert.equal(api.status, 403);
    // A stolen hash of the token is no token.
    const stored = sql(`SELECT hex(token_hash) FROM api_token WHERE name = 'Skript for brukere'`);
    const asToken = Buffer.from(stored, 'hex').toString('base64url');
    api = await fetch(server.url + '/api/v1/plans', { headers: bearer(asToken) });
    assert.equal(api.status, 401);

    // The list: names, access, last use; the token itself is not on the page.
    res = await page.goto(server.url + '/arbeid/meg');
    const table = await page.locator('section[aria-labelledby="nokler"] table').innerText();
    assert.match(table, /Skript for brukere\s+Lese og endre\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+Aktiv/);
    assert.match(table, /Rapport \(bare lese\)\s+Bare lese/);
    const html = await res.text();
    assert.ok(!html.includes(writer.token) && !html.includes(reader.token), 'the tokens are not shown again');
    await judge(page, 'GET /arbeid/meg with tokens', res);

    // Revoked, it stops at once.
    await submit(page, page.locator('tr', { hasText: 'Skript for brukere' }).getByRole('button'));
    assert.equal(await page.locator('.ds-alert[role="status"]').innerText(), 'Nøkkelen er trukket tilbake og virker ikke lenger.');
    assert.match(await page.locator('tr', { hasText: 'Skript for brukere' }).innerText(), /Ugyldig fra \d{4}-/);
    api = await fetch(server.url + '/api/v1/plans', { headers: bearer(writer.token) });
    assert.equal(api.status, 401);
    api = await fetch(server.url + '/api/v1/plans', { headers: bearer(reader.token) });
    assert.equal(api.status, 200);
  });
});

// ---------------------------------------------------------------- 6. signing out

test('every staff page, and every form answer, is sent with Cache-Control: no-store', T, async () => {
  await withClient({}, async (page) => {
    await signIn(server, page, ADMIN);
    const csrf = await csrfOf(page);
    const seen = [];
    for (const path of ['/arbeid/brukere', `/arbeid/brukere/${newUserId}`, '/arbeid/logg', '/arbeid/meg']) {
      const res = await page.request.get(server.url + path);
      assert.equal(res.status(), 200, path);
      seen.push(`GET ${path}: ${res.headers()['cache-control']}`);
    }
    for (const [path, form] of [['/arbeid/brukere', { csrf, email: 'x' }], ['/arbeid/meg/nokler', { csrf, name: 'Nøkkel' }],
      [`/arbeid/brukere/${newUserId}/lenke`, { csrf }]]) {
      const res = await page.request.post(server.url + path, { form, maxRedirects: 0 });
      seen.push(`POST ${path} (${res.status()}): ${res.headers()['cache-control']}`);
    }
    const wrong = seen.filter((line) => !line.endsWith(': no-store'));
    assert.deepEqual(wrong, [], `staff data may be kept by the browser:\n${wrong.join('\n')}`);
  });
});

test('the back button after signing out shows no staff data', T, async () => {
  await withClient({}, async (page) => {
    await signIn(server, page, ADMIN);
    await page.goto(server.url + '/arbeid/brukere');
    assert.ok((await page.content()).includes(NEW_USER.email));
    await page.goto(server.url + '/arbeid/meg');
    await Promise.all([page.waitForURL(/\/logg-inn\?utlogget=1/), page.click('form.staff-bar__signout button')]);
    await page.goBack();
    await page.waitForLoadState();
    assert.equal(new URL(page.url()).pathname, '/logg-inn', `back goes to the sign-in page, not ${page.url()}`);
    const text = await page.locator('body').innerText();
    assert.ok(!text.includes(ADMIN.email) && !text.includes('API-nøkler'), 'no staff data after going back');
    await page.goBack();
    await page.waitForLoadState();
    const again = await page.locator('body').innerText();
    assert.ok(!again.includes(NEW_USER.email), 'nor one page further back');
  });
});

// ---------------------------------------------------------------- 7. the Nu Html Checker

test('the Nu Html Checker finds no error on any state of the pages', { timeout: 180000 }, async (t) => {
  assert.ok(docs.length >= 15, `the flows above captured the pages (${docs.length})`);
  const report = await vnuErrors(docs);
  for (const [name, errors] of report) {
    await t.test(name, () => {
      assert.equal(errors.length, 0, `vnu errors on ${name}:\n${formatVnuErrors(errors)}`);
    });
  }
});
