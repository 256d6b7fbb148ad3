import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS_DIR, newPage, startBrowserSite, type BrowserSite } from './browser';

const PAGES: [string, string][] = [
  ['front', '/'],
  ['section', '/World/Asia-Pacific'],
  ['article', '/World/Asia-Pacific/2013/0629/Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step'],
  ['search', '/search?q=korea'],
  ['subscribe', '/subscribe'],
  ['not-found', '/no-such-page'],
];

let site: BrowserSite;
beforeAll(async () => {
  site = await startBrowserSite();
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
}, 60_000);
afterAll(() => site?.close());

describe.each([1280, 375])('at %i px wide', (width) => {
  test.each(PAGES)('%s: a screenshot, no horizontal scrolling, no layout shift from images', async (name, url) => {
    const { context, page } = await newPage(site, { width, height: 800 });
    // Count layout shifts from the very start of the page's life.
    await page.addInitScript(() => {
      (window as unknown as { shifts: number }).shifts = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
          if (!entry.hadRecentInput) (window as unknown as { shifts: number }).shifts += entry.value;
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(url, { waitUntil: 'load' });
    // Load every lazy image now, so that any shift they would cause when they arrive is counted.
    await page.evaluate(() => {
      for (const img of document.images) img.loading = 'eager';
    });
    await page.waitForFunction(() => [...document.images].every((img) => img.complete), undefined, { timeout: 10_000 });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}-${width}.png`), fullPage: true });
    const { scrollWidth, innerWidth, shifts, unsized } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      shifts: (window as unknown as { shifts: number }).shifts,
      unsized: [...document.images].filter((img) => !img.getAttribute('width') || !img.getAttribute('height')).length,
    }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    expect(unsized).toBe(0);
    expect(shifts).toBeLessThan(0.01);
    await context.close();
  });
});
