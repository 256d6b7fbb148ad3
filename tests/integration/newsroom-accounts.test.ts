import { spawnSync } from 'node:child_process';
import path from 'node:path';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { createTestSite, TEST_NOW, type TestSite } from '../helpers/test-site';
import { addNewsroomUser, getAs, openSigninForm, postAs, postSignin, SAME_ORIGIN, signIn } from '../helpers/newsroom';
import { createMailOutboxRepository } from '../../src/mail/mail-outbox-repository';
import { PACKAGE_ROOT } from '../../src/project-paths';

// The newsroom's accounts as people meet them: signing in and out, sessions that end, guessing
// that is slowed and locked, roles checked on the server, forged forms refused, and adding people.

let site: TestSite;
let clock = TEST_NOW.getTime();
const HOUR = 3_600_000;

beforeAll(async () => {
  site = await createTestSite({ now: () => new Date(clock), env: { TRUST_PROXY: 'loopback' } });
  await addNewsroomUser(site, 'admin@news.example', 'admin');
  await addNewsroomUser(site, 'writer@news.example', 'writer');
  await addNewsroomUser(site, 'editor@news.example', 'editor');
});
afterAll(() => site.close());

let ipCounter = 0;
/** A client address of its own, so that one test's failures do not slow another's. */
const freshClient = () => ({ 'X-Forwarded-For': `198.51.100.${++ipCounter}` });

test('the newsroom sends a visitor without a session to sign in, and nothing there is cached or indexed', async () => {
  const res = await request(site.app).get('/admin/stories?status=draft');
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe('/admin/login?next=%2Fadmin%2Fstories%3Fstatus%3Ddraft');
  const login = await request(site.app).get('/admin/login');
  expect(login.status).toBe(200);
  expect(login.headers['cache-control']).toBe('private, no-store');
  expect(login.headers['x-robots-tag']).toContain('noindex');
  expect(login.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  const $ = cheerio.load(login.text);
  expect($('label[for="signin-email"]').text()).toBe('Email');
  expect($('label[for="signin-password"]').text()).toBe('Password');
  expect($('button[type="submit"]').text()).toBe('Sign in');
  expect($('meta[name="robots"]').attr('content')).toContain('noindex');
  // A 404 under /admin is private too.
  const browser = await signIn(site, 'editor@news.example', undefined, freshClient());
  const missing = await getAs(site, browser, '/admin/no-such-page');
  expect(missing.status).toBe(404);
  expect(missing.headers['cache-control']).toBe('private, no-store');
  expect(missing.headers['surrogate-key']).toBeUndefined();
});

test('signing in sets a strict, HttpOnly session cookie, new at every sign-in, __Host- and Secure over HTTPS', async () => {
  const res = await postSignin(site, 'writer@news.example', 'a long enough password', freshClient());
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe('/admin');
  const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('newsroom='))!;
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  expect(cookie).toMatch(/Path=\//);
  const again = await signIn(site, 'writer@news.example', undefined, freshClient());
  expect(again.cookie).not.toBe(cookie.split(';')[0]);

  const https = { ...freshClient(), 'X-Forwarded-Proto': 'https' };
  const secure = await postSignin(site, 'writer@news.example', 'a long enough password', https);
  const secureCookie = (secure.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('__Host-newsroom='))!;
  expect(secureCookie).toMatch(/Secure/);
  expect(secureCookie).not.toMatch(/Domain=/);
});

test('there is no default account: a fresh newsroom lets nobody in', async () => {
  const fresh = await createTestSite({ seed: false });
  try {
    for (const [email, password] of [
      ['admin@news.example', 'admin'],
      ['admin', 'password'],
      ['admin@localhost', 'changeme1234'],
    ]) {
      expect((await postSignin(fresh, email!, password!)).status).toBe(401);
    }
  } finally {
    await fresh.close();
  }
});

test('an unknown address and a wrong password get the same answer, after the same work', async () => {
  const answers: { status: number; text: string; ms: number }[][] = [[], []];
  for (let i = 0; i < 3; i += 1) {
    for (const [kind, email] of [
      [0, `nobody-${i}@news.example`],
      [1, 'editor@news.example'],
    ] as const) {
      const started = performance.now();
      const res = await postSignin(site, email, 'not the password at all', freshClient());
      answers[kind]!.push({ status: res.status, text: cheerio.load(res.text)('.error-summary').text(), ms: performance.now() - started });
    }
  }
  const [unknown, wrong] = answers as [(typeof answers)[0], (typeof answers)[0]];
  expect(unknown.map((a) => a.status)).toEqual([401, 401, 401]);
  expect(wrong.map((a) => a.status)).toEqual([401, 401, 401]);
  expect(unknown[0]!.text).toBe(wrong[0]!.text);
  expect(unknown[0]!.text).toContain('The email address or the password is not right.');
  // Both hash the password (a third of a second or so): an unknown address is not answered early.
  const median = (list: { ms: number }[]) => list.map((a) => a.ms).sort((a, b) => a - b)[1]!;
  expect(median(unknown) / median(wrong)).toBeGreaterThan(0.5);
  expect(median(unknown) / median(wrong)).toBeLessThan(2);
});

test('repeated failures are slowed, then the account is locked, even for the right password, known or not', async () => {
  await addNewsroomUser(site, 'target@news.example', 'writer');
  const client = freshClient();
  const statuses: number[] = [];
  const times: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    statuses.push((await postSignin(site, 'target@news.example', `guess number ${i}`, client)).status);
    times.push(performance.now() - started);
  }
  expect(statuses).toEqual([401, 401, 401, 401, 401]);
  expect(times[3]! - times[0]!).toBeGreaterThan(1_500); // the fourth failure waited two seconds more
  const locked = await postSignin(site, 'target@news.example', 'a long enough password', freshClient());
  expect(locked.status).toBe(429);
  expect(Number(locked.headers['retry-after'])).toBeGreaterThan(60);
  expect(cheerio.load(locked.text)('.error-summary').text()).toContain('Too many failed sign-ins');
  // An address with no account locks the same way, so a lock says nothing about who has one.
  for (let i = 0; i < 5; i += 1) await postSignin(site, 'ghost@news.example', `guess ${i}`, client);
  expect((await postSignin(site, 'ghost@news.example', 'anything at all', freshClient())).status).toBe(429);
  // The lock ends.
  clock += 16 * 60_000;
  expect((await postSignin(site, 'target@news.example', 'a long enough password', freshClient())).status).toBe(303);
}, 60_000);

test('a session ends after an hour unused, after twelve hours in any case, and at sign-out', async () => {
  const idle = await signIn(site, 'editor@news.example', undefined, freshClient());
  clock += 59 * 60_000;
  expect((await getAs(site, idle, '/admin')).status).toBe(200);
  clock += 61 * 60_000;
  expect((await getAs(site, idle, '/admin')).status).toBe(303);

  const busy = await signIn(site, 'editor@news.example', undefined, freshClient());
  const signedInAt = clock;
  let refusedAfter = 0;
  for (let visit = 0; visit < 20 && refusedAfter === 0; visit += 1) {
    clock += 50 * 60_000; // in use all day, never idle for an hour
    if ((await getAs(site, busy, '/admin')).status !== 200) refusedAfter = clock - signedInAt;
  }
  expect(refusedAfter).toBeGreaterThan(12 * HOUR);
  expect(refusedAfter).toBeLessThanOrEqual(12 * HOUR + 50 * 60_000);

  const leaving = await signIn(site, 'editor@news.example', undefined, freshClient());
  const out = await postAs(site, leaving, '/admin/logout', {});
  expect(out.status).toBe(303);
  expect((out.headers['set-cookie'] as unknown as string[]).some((c) => /^newsroom=;/.test(c))).toBe(true);
  // The old cookie, kept by someone, is refused by the server.
  expect((await getAs(site, leaving, '/admin')).status).toBe(303);
  expect((await postAs(site, leaving, '/admin/users', { email: 'x@news.example', role: 'admin' })).status).toBe(403);
});

test('roles are checked on the server: a writer posting straight to an admin form is refused', async () => {
  const writer = await signIn(site, 'writer@news.example', undefined, freshClient());
  expect((await getAs(site, writer, '/admin/users')).status).toBe(403);
  expect((await getAs(site, writer, '/admin/audit')).status).toBe(403);
  const posted = await postAs(site, writer, '/admin/users', { email: 'sneaky@news.example', role: 'admin' });
  expect(posted.status).toBe(403);
  expect(site.db.prepare("SELECT count(*) FROM newsroom_users WHERE email = 'sneaky@news.example'").pluck().get()).toBe(0);
  const home = cheerio.load((await getAs(site, writer, '/admin')).text);
  expect(
    home('nav[aria-label="Newsroom"] a')
      .map((_, a) => home(a).text())
      .get(),
  ).not.toContain('Users');
});

test('a forged or cross-site form is refused and changes nothing', async () => {
  const admin = await signIn(site, 'admin@news.example', undefined, freshClient());
  const forged = await postAs(site, admin, '/admin/users', { email: 'forged@news.example', role: 'writer', _csrf: 'not-the-token' });
  expect(forged.status).toBe(403);
  const crossSite = await postAs(
    site,
    admin,
    '/admin/users',
    { email: 'forged@news.example', role: 'writer' },
    { 'Sec-Fetch-Site': 'cross-site' },
  );
  expect(crossSite.status).toBe(403);
  const otherSession = await signIn(site, 'editor@news.example', undefined, freshClient());
  const borrowed = await postAs(site, admin, '/admin/users', { email: 'forged@news.example', role: 'writer', _csrf: otherSession.csrf });
  expect(borrowed.status).toBe(403);
  expect(site.db.prepare("SELECT count(*) FROM newsroom_users WHERE email = 'forged@news.example'").pluck().get()).toBe(0);
  // The sign-in form has its own token.
  const form = await openSigninForm(site);
  const noToken = await request(site.app)
    .post('/admin/login')
    .set({ ...SAME_ORIGIN, Cookie: form.cookie })
    .type('form')
    .send({ email: 'admin@news.example', password: 'a long enough password' });
  expect(noToken.status).toBe(403);
});

test('an admin adds a user, who chooses a password through the mailed link and signs in', async () => {
  const admin = await signIn(site, 'admin@news.example', undefined, freshClient());
  const bad = await postAs(site, admin, '/admin/users', { email: 'not an address', role: 'chief' });
  expect(bad.status).toBe(422);
  const $bad = cheerio.load(bad.text);
  expect($bad('#error-summary a[href="#user-email"]').text()).toContain('email address');
  expect($bad('#user-email').val()).toBe('not an address');

  const added = await postAs(site, admin, '/admin/users', { email: 'new.writer@news.example', role: 'writer' });
  expect(added.status).toBe(201);
  const link = cheerio.load(added.text)('.newsroom-notice code').text();
  expect(link).toMatch(/^https:\/\/news\.example\/admin\/welcome\/[A-Za-z0-9_-]{43}$/);
  const mail = createMailOutboxRepository(site.db).listNewest(1)[0]!;
  expect(mail.to_address).toBe('new.writer@news.example');
  expect(mail.text_body).toContain(link);
  expect((await postAs(site, admin, '/admin/users', { email: 'NEW.writer@news.example', role: 'editor' })).status).toBe(422);

  const path = new URL(link).pathname;
  const page = await request(site.app).get(path);
  expect(page.status).toBe(200);
  const cookie = (page.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
  const csrf = cheerio.load(page.text)('input[name="_csrf"]').val() as string;
  const send = (fields: Record<string, string>) =>
    request(site.app)
      .post(path)
      .set({ ...SAME_ORIGIN, Cookie: cookie })
      .type('form')
      .send({ _csrf: csrf, ...fields });
  expect((await send({ password: 'short', confirm: 'short' })).status).toBe(422);
  expect((await send({ password: 'a brand new password', confirm: 'a different one' })).status).toBe(422);
  expect((await send({ password: 'a brand new password', confirm: 'a brand new password' })).status).toBe(200);
  expect((await request(site.app).get(path)).status).toBe(404); // used once
  await signIn(site, 'new.writer@news.example', 'a brand new password', freshClient());
});

test('a new password ends every other session; disabling a user ends theirs and keeps them out', async () => {
  await addNewsroomUser(site, 'changer@news.example', 'editor');
  const here = await signIn(site, 'changer@news.example', undefined, freshClient());
  const elsewhere = await signIn(site, 'changer@news.example', undefined, freshClient());
  const wrong = await postAs(site, here, '/admin/account', {
    current: 'not my password',
    password: 'another long password',
    confirm: 'another long password',
  });
  expect(wrong.status).toBe(422);
  const changed = await postAs(site, here, '/admin/account', {
    current: 'a long enough password',
    password: 'another long password',
    confirm: 'another long password',
  });
  expect(changed.status).toBe(200);
  expect((await getAs(site, here, '/admin')).status).toBe(200);
  expect((await getAs(site, elsewhere, '/admin')).status).toBe(303);

  const admin = await signIn(site, 'admin@news.example', undefined, freshClient());
  const id = site.db.prepare("SELECT id FROM newsroom_users WHERE email = 'changer@news.example'").pluck().get() as number;
  expect((await postAs(site, admin, `/admin/users/${id}`, { disabled: 'yes' })).status).toBe(303);
  expect((await getAs(site, here, '/admin')).status).toBe(303);
  expect((await postSignin(site, 'changer@news.example', 'another long password', freshClient())).status).toBe(401);
  expect((await postAs(site, admin, `/admin/users/${id}`, { disabled: 'no' })).status).toBe(303);
  await signIn(site, 'changer@news.example', 'another long password', freshClient());
});

test('the last admin cannot be demoted or disabled, and the audit log shows who changed what', async () => {
  const admin = await signIn(site, 'admin@news.example', undefined, freshClient());
  const id = site.db.prepare("SELECT id FROM newsroom_users WHERE email = 'admin@news.example'").pluck().get() as number;
  const demoted = await postAs(site, admin, `/admin/users/${id}`, { role: 'writer' });
  expect(demoted.status).toBe(422);
  expect(cheerio.load(demoted.text)('#error-summary').text()).toContain('at least one admin');
  expect((await postAs(site, admin, `/admin/users/${id}`, { disabled: 'yes' })).status).toBe(422);
  expect((await postAs(site, admin, '/admin/users/99999', { role: 'writer' })).status).toBe(404);
  expect((await postAs(site, admin, `/admin/users/${id}`, { role: 'boss' })).status).toBe(422);

  const audit = cheerio.load((await getAs(site, admin, '/admin/audit')).text);
  const rows = audit('tbody tr')
    .map((_, row) => audit(row).text().replace(/\s+/g, ' '))
    .get();
  expect(
    rows.some((row) => row.includes('admin@news.example') && row.includes('disabled user') && row.includes('changer@news.example')),
  ).toBe(true);
  expect(rows.some((row) => row.includes('added user') && row.includes('new.writer@news.example as writer'))).toBe(true);
});

test('the story list filters by status, section and headline, and shows every headline as text', async () => {
  site.db
    .prepare(
      `INSERT INTO articles (section_id, slug, headline, status, published_at, content_hash, body_json)
       VALUES ((SELECT id FROM sections WHERE path = 'World'), 'A-draft', '<script>alert(1)</script> draft', 'draft', '2026-01-16T00:00:00Z', 'x', '[]')`,
    )
    .run();
  const editor = await signIn(site, 'editor@news.example', undefined, freshClient());
  const drafts = await getAs(site, editor, '/admin/stories?status=draft');
  expect(drafts.status).toBe(200);
  expect(drafts.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; draft');
  expect(drafts.text).not.toContain('<script>alert(1)');
  const $ = cheerio.load(drafts.text);
  expect($('tbody tr')).toHaveLength(1);
  const northKorea = cheerio.load((await getAs(site, editor, '/admin/stories?q=North+Korea')).text);
  expect(northKorea('tbody tr td:first-child').text()).toContain('Is North Korea ready to talk?');
  const percent = cheerio.load((await getAs(site, editor, '/admin/stories?q=%25')).text);
  expect(percent('tbody tr')).toHaveLength(0);
  expect((await getAs(site, editor, '/admin/stories?status=lost')).status).toBe(400);
  expect((await getAs(site, editor, '/admin/stories?page=0')).status).toBe(400);
  const home = cheerio.load((await getAs(site, editor, '/admin')).text);
  expect(home('#drafts + ul li').text()).toContain('<script>alert(1)</script> draft');
});

test('newsroom:add-user takes the password from standard input, refuses a short one, and never stores it in clear', () => {
  const run = (email: string, role: string, input: string) =>
    spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'bin/news.js'), 'newsroom:add-user', email, '--role', role], {
      env: { PATH: process.env.PATH ?? '', DATABASE_PATH: site.config.databasePath },
      input,
      encoding: 'utf8',
    });
  const short = run('shell@news.example', 'editor', 'too short\n');
  expect(short.status).toBe(1);
  expect(short.stderr).toContain('A password needs at least 12 characters.');
  const added = run('shell@news.example', 'editor', 'a password from the shell\n');
  expect(added.stdout).toContain('Added shell@news.example as editor');
  expect(run('Shell@news.example', 'admin', 'a password from the shell\n').stderr).toContain('already has a newsroom account');
  expect(run('shell2@news.example', 'chief', 'a password from the shell\n').stderr).toContain('The role must be writer, editor or admin');
  const stored = site.db.prepare("SELECT password_hash FROM newsroom_users WHERE email = 'shell@news.example'").pluck().get() as string;
  expect(stored).toMatch(/^scrypt\$131072\$8\$1\$/);
  expect(stored).not.toContain('a password from the shell');
});
