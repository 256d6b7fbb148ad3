import { newPage, startBrowserSite, type BrowserSite } from './browser';
import { seriousViolations } from './axe';

// Every page kind a reader meets, audited with axe (tests/e2e/axe.ts).
let site: BrowserSite;
beforeAll(async () => {
  site = await startBrowserSite();
}, 60_000);
afterAll(() => site?.close());

test.each([
  ['the front page', '/'],
  ['a section front', '/World'],
  ['the seed article', '/World/Asia-Pacific/2013/0629/Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step'],
  ['a results page', '/search?q=korea'],
  ['the no-results page', '/search?q=korae'],
  ['/subscribe', '/subscribe'],
  ['the 404 page', '/no-such-page'],
  ['/feeds', '/feeds'],
  ['/corrections', '/corrections'],
])('%s has no serious or critical violations and passes colour contrast', async (_, path) => {
  const { context, page } = await newPage(site, { bypassCSP: true });
  await page.goto(path);
  expect(await seriousViolations(page)).toEqual([]);
  await context.close();
});

test('/subscribe in its error state has no serious or critical violations', async () => {
  const { context, page } = await newPage(site, { bypassCSP: true });
  await page.goto('/subscribe');
  await page.locator('#subscribe-email').fill('wrong');
  await page.waitForTimeout(2200);
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await page.locator('#error-summary').waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await context.close();
});
