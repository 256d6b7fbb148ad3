import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/project-paths';
import { ARRIVAL_PLACES, millisecondsUntilEverywhere } from './arrival';
import { seriousViolations } from './axe';
import { newPage, startBrowserSite, type BrowserSite } from './browser';
import type { Page } from 'playwright-core';
import sharp from 'sharp';

// The newsroom in Chromium, found by role and name as SITE.md labels it: the first admin from
// the shell, adding a writer and an editor, the writer choosing a password and signing in, what
// a writer may not do, signing out for good, and axe on every newsroom page.

let site: BrowserSite;
/** The links to choose a first password, by role, from the first test. */
const links: Record<string, string> = {};
const ADMIN = { email: 'chief@news.example', password: 'the chief editor password' };

beforeAll(async () => {
  site = await startBrowserSite();
  // As an operator does it: the built command, the password piped on standard input.
  const added = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'bin/news.js'), 'newsroom:add-user', ADMIN.email, '--role', 'admin'], {
    env: { PATH: process.env.PATH ?? '', DATABASE_PATH: site.databasePath },
    input: `${ADMIN.password}\n`,
    encoding: 'utf8',
  });
  expect(added.stderr).toBe('');
  expect(added.stdout).toContain(`Added ${ADMIN.email} as admin`);
}, 60_000);
afterAll(() => site?.close());

/** Opens a mailed link to choose a first password, and chooses one. */
async function choosePassword(page: Page, link: string, password: string): Promise<void> {
  await page.goto(new URL(link).pathname);
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('New password again').fill(password);
  await page.getByRole('button', { name: 'Save password' }).click();
  await page.getByRole('heading', { name: 'Your password is saved' }).waitFor();
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/admin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Newsroom', level: 1 }).waitFor();
}

test('an admin adds a writer and an editor; the writer sets a password, signs in, and cannot manage users', async () => {
  const admin = await newPage(site);
  await signIn(admin.page, ADMIN.email, ADMIN.password);
  await admin.page.getByRole('link', { name: 'Users' }).click();
  for (const [email, role] of [
    ['writer@news.example', 'writer'],
    ['editor@news.example', 'editor'],
  ] as const) {
    await admin.page.getByLabel('Email').fill(email);
    await admin.page.getByLabel('Role', { exact: true }).selectOption(role);
    await admin.page.getByRole('button', { name: 'Add user' }).click();
    await admin.page
      .getByRole('status')
      .filter({ hasText: `Added ${email} as ${role}` })
      .waitFor();
    links[role] = (await admin.page.locator('.newsroom-notice code').textContent())!;
  }
  await admin.page.getByRole('cell', { name: 'editor@news.example', exact: true }).waitFor();
  await admin.context.close();

  const writer = await newPage(site);
  await choosePassword(writer.page, links.writer!, 'a writer of long words');
  await signIn(writer.page, 'writer@news.example', 'a writer of long words');
  expect(await writer.page.getByRole('navigation', { name: 'Newsroom' }).getByRole('link', { name: 'Users' }).count()).toBe(0);
  const refused = await writer.page.goto('/admin/users');
  expect(refused?.status()).toBe(403);
  await writer.context.close();
});

test('the writer writes a story with an uploaded photo; the editor schedules it, corrects it and restores a revision', async () => {
  const writer = await newPage(site);
  await signIn(writer.page, 'writer@news.example', 'a writer of long words');
  await writer.page.getByRole('link', { name: 'Photos' }).click();
  const jpeg = await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 20, g: 80, b: 160 } } })
    .jpeg()
    .toBuffer();
  await writer.page.getByLabel('Photo file').setInputFiles({ name: 'ferry.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  await writer.page.getByLabel('Alt text', { exact: true }).fill('The night ferry leaving the harbour');
  await writer.page.getByLabel('Caption', { exact: true }).fill('The last ferry of the evening.');
  await writer.page.getByLabel('Credit', { exact: true }).fill('A. Photographer');
  await writer.page.getByRole('button', { name: 'Upload' }).click();
  const notice = (await writer.page.getByRole('status').filter({ hasText: 'is in the library' }).textContent())!;
  const photoId = /Photo (\d+) is in the library/.exec(notice)![1]!;

  await writer.page.getByRole('link', { name: 'Stories' }).click();
  await writer.page.getByRole('link', { name: 'Write a new story' }).click();
  await writer.page.getByLabel('Headline').fill('Night ferry sails again');
  await writer.page.getByLabel('Section').selectOption({ label: 'World' });
  await writer.page.getByLabel('Hero photo').fill(photoId);
  await writer.page.getByLabel('Body').fill('The night ferry sails again from tonight.\n\nTickets are on sale at the harbour.');
  await writer.page.getByRole('button', { name: 'Save draft' }).click();
  await writer.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  expect(await writer.page.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);
  const storyPath = new URL(writer.page.url()).pathname;
  await writer.context.close();

  const editor = await newPage(site);
  await choosePassword(editor.page, links.editor!, 'an editor of long words');
  await signIn(editor.page, 'editor@news.example', 'an editor of long words');
  await editor.page.goto(storyPath);
  const at = Math.ceil(Date.now() / 1000) * 1000 + 3_000;
  await editor.page.getByLabel('Publish at').fill(new Date(at).toISOString().slice(0, 19));
  await editor.page.getByRole('button', { name: 'Schedule' }).click();
  await editor.page.getByRole('status').filter({ hasText: 'Scheduled.' }).waitFor();
  // Within a second of its time it is on the front page, its section, the feed, the news
  // sitemap and in search (read without a browser cache, as a first visit sees them).
  const late = await millisecondsUntilEverywhere(
    site.server.url,
    ARRIVAL_PLACES('World', 'night ferry sails'),
    'Night ferry sails again',
    at,
  );
  expect(late).toBeLessThanOrEqual(1_000);
  const front = await editor.context.newPage();
  await front.goto('/');
  await front.getByRole('link', { name: 'Night ferry sails again' }).first().click();
  expect(await front.locator('img[alt="The night ferry leaving the harbour"]').count()).toBe(1);
  const articleUrl = front.url();

  // A correction shows on the article.
  await editor.page.goto(storyPath);
  await editor.page.getByLabel('Correction').fill('An earlier version gave the wrong sailing time.');
  await editor.page.getByRole('button', { name: 'Publish', exact: true }).click();
  await editor.page.getByRole('status').filter({ hasText: 'Published.' }).waitFor();
  expect(front.url()).toBe(articleUrl);
  await front.reload(); // the browser may keep the article for its max-age: ask again, as a reader would
  await front.getByText('An earlier version gave the wrong sailing time.').waitFor();

  // The revisions list holds every version, and restoring the writer's draft works.
  await editor.page.goto(storyPath);
  await editor.page.getByLabel('Headline').fill('Night ferry sails again from tonight');
  await editor.page.getByRole('button', { name: 'Publish', exact: true }).click();
  await editor.page.getByRole('status').filter({ hasText: 'Published.' }).waitFor();
  await editor.page.getByRole('link', { name: 'Revisions' }).click();
  const rows = editor.page.locator('table').first().locator('tbody tr');
  expect(await rows.count()).toBeGreaterThanOrEqual(3);
  expect(await rows.last().textContent()).toContain('writer@news.example');
  await rows.last().getByRole('button', { name: 'Restore this revision' }).click();
  await editor.page.getByRole('status').filter({ hasText: 'Restored' }).waitFor();
  expect(await editor.page.getByLabel('Headline').inputValue()).toBe('Night ferry sails again');
  await editor.context.close();
}, 90_000);

test('after signing out, the old session cookie is refused', async () => {
  const { context, page } = await newPage(site);
  await signIn(page, ADMIN.email, ADMIN.password);
  const cookies = await context.cookies();
  expect(cookies.find((c) => c.name === 'newsroom')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  // Someone who kept a copy of the cookie gets nothing with it.
  const copy = await site.browser.newContext({ baseURL: site.server.url });
  await copy.addCookies(cookies.filter((c) => c.name === 'newsroom'));
  const stolen = await copy.newPage();
  await stolen.goto('/admin/users');
  expect(new URL(stolen.url()).pathname).toBe('/admin/login');
  await copy.close();
  await context.close();
});

test('every newsroom page has no serious or critical axe violations', async () => {
  const { context, page } = await newPage(site, { bypassCSP: true });
  await page.goto('/admin/login');
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill('wrong password typed');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#error-summary').waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await signIn(page, ADMIN.email, ADMIN.password);
  for (const path of [
    '/admin',
    '/admin/stories',
    '/admin/stories?status=published&q=korea',
    '/admin/stories/new',
    '/admin/stories/1',
    '/admin/photos',
    '/admin/users',
    '/admin/promos',
    '/admin/promos/new',
    '/admin/promos/1',
    '/admin/offer',
    '/admin/subscribers',
    '/admin/audit',
    '/admin/account',
  ]) {
    await page.goto(path);
    expect({ path, violations: await seriousViolations(page) }).toEqual({ path, violations: [] });
  }
  await page.goto('/admin/stories/new');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.locator('#error-summary').waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto('/admin/users');
  await page.getByLabel('Email').fill('not an address');
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.locator('#error-summary').waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await context.close();
}, 60_000);
