import type { Page } from 'playwright-core';
import { newPage, startBrowserSite, type BrowserSite } from './browser';
import { addAccountFromShell, signInToNewsroom } from './newsroom-accounts';

// The offer and the promos run from the newsroom, in Chromium, found by SITE.md's labels: an
// admin changes the offer and sees it in the panel; an editor replaces the running promo with one
// targeted at one section, and it shows there and nowhere else.

let site: BrowserSite;
const ADMIN = { email: 'chief@news.example', password: 'the chief editor password' };

beforeAll(async () => {
  site = await startBrowserSite();
  const added = addAccountFromShell(site, ADMIN, 'admin');
  expect(added.stdout).toContain(`Added ${ADMIN.email} as admin`);
}, 60_000);
afterAll(() => site?.close());

/** The address of the newest story on a section front. */
async function firstStoryOf(page: Page, front: string): Promise<string> {
  await page.goto(front);
  return (await page.locator('main a[href*="/20"]').first().getAttribute('href'))!;
}

test('an admin changes the offer and sees it in the panel of the pages readers read', async () => {
  const { context, page } = await newPage(site);
  await signInToNewsroom(page, ADMIN);
  const story = await firstStoryOf(page, '/World');
  await page.goto(story);
  await page.locator('.offer-panel').waitFor(); // served before the change, so that a copy kept by the server would show
  await page.goto('/admin');
  await page.getByRole('link', { name: 'Offer' }).click();
  await page.getByLabel('Offer name').fill('The Weekend Edition');
  await page.getByLabel('Bullet points').fill('Long reads for Saturday\nNo paywall on weekends');
  await page.getByLabel('Special-offer text').fill('Four weeks free, then $2 a week.');
  await page.getByLabel('Price of plan 1').fill('39.00');
  await page.getByRole('button', { name: 'Save offer' }).click();
  await page.getByRole('status').filter({ hasText: 'Offer saved' }).waitFor();

  // A reader arriving now (a browser's own copy may be kept for its max-age; the site's are not).
  const reader = await newPage(site);
  for (const pathname of [story, '/']) {
    await reader.page.goto(pathname);
    const panel = reader.page.locator('.offer-panel');
    await expect(panel.getByRole('heading', { name: 'The Weekend Edition' }).isVisible()).resolves.toBe(true);
    await expect(panel.locator('li').allTextContents()).resolves.toEqual(['Long reads for Saturday', 'No paywall on weekends']);
    await expect(panel.textContent()).resolves.toContain('Four weeks free, then $2 a week.');
  }
  await reader.page.goto('/subscribe');
  await expect(reader.page.locator('.plan-option').first().textContent()).resolves.toContain('$39.00 a year');
  await reader.context.close();
  await context.close();
}, 60_000);

test('a promo targeted at one section shows on its pages and nowhere else', async () => {
  const { context, page } = await newPage(site);
  await signInToNewsroom(page, ADMIN);
  const politicsStory = await firstStoryOf(page, '/USA/Politics');
  const worldStory = await firstStoryOf(page, '/World');

  // The seeded promo runs everywhere: the editor retires it first.
  await page.goto('/admin');
  await page.getByRole('link', { name: 'Promos' }).click();
  await page.getByRole('row').filter({ hasText: 'Running' }).getByRole('link').first().click();
  await page.getByRole('button', { name: 'Retire promo' }).click();
  await page.getByRole('status').filter({ hasText: 'is retired' }).waitFor();

  await page.getByRole('link', { name: 'New promo' }).click();
  await page.getByLabel('Series name').fill('Campaign Trail');
  await page.getByLabel('Tagline').fill('Every race, every state.');
  await page.getByLabel('Headline').fill('Ten races to watch this fall');
  await page.getByLabel('Summary').fill('The contests that will decide the Senate.');
  await page.getByLabel('Link').fill('/USA/Politics');
  await page.getByLabel('Photo').fill('1');
  await page.getByRole('group', { name: 'Sections' }).getByLabel('USA › Politics').check();
  await page.getByLabel('Weight').fill('10');
  await page.getByRole('button', { name: 'Save promo' }).click();
  await page.getByRole('status').filter({ hasText: 'Promo saved' }).waitFor();
  await expect(page.locator('.newsroom-meta').textContent()).resolves.toContain('Running');

  const reader = await newPage(site);
  for (const pathname of [politicsStory, '/USA/Politics']) {
    await reader.page.goto(pathname);
    const promo = reader.page.getByRole('complementary').locator('.promo');
    await expect(promo.getByRole('link', { name: 'Ten races to watch this fall', exact: true }).isVisible()).resolves.toBe(true);
    await expect(promo.getByRole('heading', { name: 'Campaign Trail' }).isVisible()).resolves.toBe(true);
  }
  for (const pathname of [worldStory, '/World', '/USA/Justice', '/']) {
    await reader.page.goto(pathname);
    await expect(reader.page.locator('.promo').count()).resolves.toBe(0);
  }
  await reader.context.close();
  await context.close();
}, 60_000);
