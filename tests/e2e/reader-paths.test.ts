import { newPage, startBrowserSite, type BrowserSite } from './browser';

const SEED = '/World/Asia-Pacific/2013/0629/Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step';
let site: BrowserSite;
beforeAll(async () => {
  site = await startBrowserSite();
}, 60_000);
afterAll(() => site?.close());

test('from the front page, a reader follows a story and reads it', async () => {
  const { context, page } = await newPage(site);
  await page.goto('/');
  await page.getByRole('heading', { level: 1, name: 'Top stories' }).waitFor();
  const first = page.locator('.story-list .story-card__headline a').first();
  const headline = await first.textContent();
  await first.click();
  await page.waitForURL(/\/\d{4}\/\d{4}\//);
  await page.getByRole('heading', { level: 1, name: headline! }).waitFor();
  expect(await page.locator('.article__body p').count()).toBeGreaterThan(1);
  await context.close();
});

test('Tab from the top of an article lands on "Skip to: Content", which moves focus into the article', async () => {
  const { context, page } = await newPage(site);
  await page.goto(SEED);
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to: Content');
  expect(await page.locator(':focus').isVisible()).toBe(true);
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('content');
  // The next Tab continues inside the article, not back in the header.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => Boolean(document.activeElement?.closest('#content')))).toBe(true);
  await context.close();
});

test('"Skip to next paragraph" passes the inline block', async () => {
  const { context, page } = await newPage(site);
  await page.goto(SEED);
  const skip = page.getByRole('link', { name: 'Skip to next paragraph' });
  await skip.focus();
  expect(await skip.isVisible()).toBe(true);
  await page.keyboard.press('Enter');
  const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
  expect(focused).toMatch(/^Kim Kye-gwan, North Korea's First Deputy Foreign Minister/);
  await context.close();
});

test('a reader searches from the box and opens a result', async () => {
  const { context, page } = await newPage(site);
  await page.goto(SEED);
  await page.getByRole('searchbox', { name: 'Search the site' }).fill('six-party talks');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/search\?q=six-party\+talks/);
  await page.getByRole('heading', { level: 1, name: /results? for “six-party talks”/ }).waitFor();
  const result = page.locator('.search-result h2 a').first();
  const headline = await result.textContent();
  expect(await page.locator('.search-result mark').count()).toBeGreaterThan(0);
  await result.click();
  await page.getByRole('heading', { level: 1, name: headline! }).waitFor();
  await context.close();
});

test('a reader signs up through the panel on an article page and sees the thank-you page', async () => {
  const { context, page } = await newPage(site);
  await page.goto(SEED);
  const panel = page.locator('#offer-panel-form');
  await panel.getByLabel('Email address').fill('browser.reader@example.com');
  await panel.getByRole('radio', { name: /Print \+ Digital/ }).check();
  await panel.getByRole('checkbox').check();
  await panel.getByRole('button', { name: 'Subscribe' }).click();
  await page.waitForURL('**/subscribe/thanks');
  await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor();
  await context.close();
});

test('an invalid address on /subscribe shows the error beside the field, with focus on the error summary', async () => {
  const { context, page } = await newPage(site);
  await page.goto('/subscribe');
  await page.locator('#subscribe-email').fill('not-an-address');
  await page.locator('#subscribe-consent').check();
  // A person takes a moment to fill the form in; faster than that is treated as a bot.
  await page.waitForTimeout(2200);
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await page.locator('#error-summary').waitFor();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
  expect(await page.locator('#subscribe-email-error').textContent()).toMatch(/Enter an email address like name@example\.com/);
  expect(await page.locator('#subscribe-email').inputValue()).toBe('not-an-address');
  expect(await page.locator('#subscribe-email').getAttribute('aria-invalid')).toBe('true');
  // The summary's link takes the reader to the field.
  await page.locator('#error-summary a').first().click();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('subscribe-email');
  await context.close();
});

test('a story sent as gzip joined from stored pieces reads whole in the browser', async () => {
  const { context, page } = await newPage(site);
  // A section no other test here opens, so that the page cache holds no copy of its stories.
  await page.goto('/Science');
  const story = page.locator('.story-card__headline a').nth(1);
  const headline = (await story.textContent())!;
  const path = (await story.getAttribute('href'))!;
  // A first request (outside the browser's cache) renders and stores the story; the browser's
  // own visit is then joined from its stored pieces.
  expect((await context.request.get(path)).ok()).toBe(true);
  const response = (await page.goto(path))!;
  expect(response.headers()['content-encoding']).toBe('gzip');
  await page.getByRole('heading', { level: 1, name: headline }).waitFor();
  expect(await page.locator('.article__body p').count()).toBeGreaterThan(1);
  // The pieces after the story: the offer panel, with this page as its source, and the footer.
  expect(await page.locator('form input[name="source"]').first().inputValue()).toBe(path);
  expect(await page.locator('footer').last().isVisible()).toBe(true);
  await context.close();
});
