import { ARRIVAL_PLACES, millisecondsUntilEverywhere, placesShowing } from './arrival';
import { newPage, startBrowserSite, type BrowserSite } from './browser';
import { addAccountFromShell, signInToNewsroom } from './newsroom-accounts';

// Scheduling that fires on time, on the built site in production mode (page cache, stored
// renders, the front door): an editor schedules a story a few seconds ahead in Chromium, and
// nobody visits to set it off; it must be on the front page, its section, the feed, the news
// sitemap and in search within a second of its time, and on none of them before.

let site: BrowserSite;
const EDITOR = { email: 'desk@news.example', password: 'the desk editor password' };

beforeAll(async () => {
  site = await startBrowserSite();
  const added = addAccountFromShell(site, EDITOR, 'editor');
  expect(added.status).toBe(0);
}, 60_000);
afterAll(() => site?.close());

const HEADLINE = 'Night ferry timetable changes from tonight';
const PLACES = ARRIVAL_PLACES('World', 'night ferry timetable');
const showing = () => placesShowing(site.server.url, PLACES, HEADLINE);

test('a story scheduled a few seconds ahead is everywhere within a second of its time, and nowhere before', async () => {
  const { context, page } = await newPage(site);
  await signInToNewsroom(page, EDITOR);
  await page.getByRole('link', { name: 'Write a new story' }).first().click();
  await page.getByLabel('Headline').fill(HEADLINE);
  await page.getByLabel('Section').selectOption({ label: 'World' });
  await page.getByLabel('Body').fill('The night ferry leaves half an hour later from tonight.\n\nDay sailings are unchanged.');
  // Visit every place now, so that caches hold pages without it.
  expect(await showing()).toEqual([]);
  const at = Math.ceil(Date.now() / 1000) * 1000 + 5_000;
  await page.getByLabel('Publish at').fill(new Date(at).toISOString().slice(0, 19));
  await page.getByRole('button', { name: 'Schedule' }).click();
  await page.getByRole('status').filter({ hasText: 'Scheduled.' }).waitFor();
  expect(await showing()).toEqual([]);

  const late = await millisecondsUntilEverywhere(site.server.url, PLACES, HEADLINE, at);
  expect(late).toBeGreaterThanOrEqual(0);
  expect(late).toBeLessThanOrEqual(1_000);
  await context.close();
}, 60_000);
