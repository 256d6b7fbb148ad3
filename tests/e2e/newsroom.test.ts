import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/project-paths';
import { seriousViolations } from './axe';
import { newPage, startBrowserSite, type BrowserSite } from './browser';
import type { Page } from 'playwright-core';

// The newsroom in Chromium, found by role and name as SITE.md labels it: the first admin from
// the shell, adding a writer and an editor, the writer choosing a password and signing in, what
// a writer may not do, signing out for good, and axe on every newsroom page.

let site: BrowserSite;
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
  const links: Record<string, string> = {};
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
  await writer.page.goto(new URL(links.writer!).pathname);
  await writer.page.getByLabel('New password', { exact: true }).fill('a writer of long words');
  await writer.page.getByLabel('New password again').fill('a writer of long words');
  await writer.page.getByRole('button', { name: 'Save password' }).click();
  await writer.page.getByRole('heading', { name: 'Your password is saved' }).waitFor();
  await signIn(writer.page, 'writer@news.example', 'a writer of long words');
  expect(await writer.page.getByRole('navigation', { name: 'Newsroom' }).getByRole('link', { name: 'Users' }).count()).toBe(0);
  const refused = await writer.page.goto('/admin/users');
  expect(refused?.status()).toBe(403);
  await writer.context.close();
});

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
