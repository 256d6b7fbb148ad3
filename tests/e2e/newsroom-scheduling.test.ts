import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/project-paths';
import { newPage, startBrowserSite, type BrowserSite } from './browser';

// Scheduling that fires on time, on the built site in production mode (page cache, stored
// renders, the front door): an editor schedules a story a few seconds ahead in Chromium, and
// nobody visits to set it off; it must be on the front page, its section, the feed, the news
// sitemap and in search within a second of its time, and on none of them before.

let site: BrowserSite;
const EDITOR = { email: 'desk@news.example', password: 'the desk editor password' };

beforeAll(async () => {
  site = await startBrowserSite();
  const added = spawnSync(
    process.execPath,
    [path.join(PACKAGE_ROOT, 'bin/news.js'), 'newsroom:add-user', EDITOR.email, '--role', 'editor'],
    {
      env: { PATH: process.env.PATH ?? '', DATABASE_PATH: site.databasePath },
      input: `${EDITOR.password}\n`,
      encoding: 'utf8',
    },
  );
  expect(added.status).toBe(0);
}, 60_000);
afterAll(() => site?.close());

const HEADLINE = 'Night ferry timetable changes from tonight';
const PLACES = ['/', '/World', '/feeds/rss.xml', '/news-sitemap.xml', '/search?q=night+ferry+timetable'];

async function placesShowing(): Promise<string[]> {
  const shown: string[] = [];
  for (const place of PLACES) {
    const res = await fetch(`${site.server.url}${place}`);
    if ((await res.text()).includes(HEADLINE)) shown.push(place);
  }
  return shown;
}

test('a story scheduled a few seconds ahead is everywhere within a second of its time, and nowhere before', async () => {
  const { context, page } = await newPage(site);
  await page.goto('/admin/login');
  await page.getByLabel('Email').fill(EDITOR.email);
  await page.getByLabel('Password', { exact: true }).fill(EDITOR.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Write a new story' }).first().click();
  await page.getByLabel('Headline').fill(HEADLINE);
  await page.getByLabel('Section').selectOption({ label: 'World' });
  await page.getByLabel('Body').fill('The night ferry leaves half an hour later from tonight.\n\nDay sailings are unchanged.');
  // Visit every place now, so that caches hold pages without it.
  expect(await placesShowing()).toEqual([]);
  const at = Math.ceil(Date.now() / 1000) * 1000 + 5_000;
  await page.getByLabel('Publish at').fill(new Date(at).toISOString().slice(0, 19));
  await page.getByRole('button', { name: 'Schedule' }).click();
  await page.getByRole('status').filter({ hasText: 'Scheduled.' }).waitFor();
  expect(await placesShowing()).toEqual([]);

  while (Date.now() < at - 300) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await placesShowing()).toEqual([]);
  let everywhereAt = 0;
  while (Date.now() < at + 5_000) {
    if ((await placesShowing()).length === PLACES.length) {
      everywhereAt = Date.now();
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(everywhereAt).toBeGreaterThanOrEqual(at);
  expect(everywhereAt - at).toBeLessThanOrEqual(1_000);
  await context.close();
}, 60_000);
