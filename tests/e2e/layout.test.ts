import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { BrowserContext, Page } from 'playwright-core';
import { PACKAGE_ROOT } from '../../src/project-paths';
import { ARTIFACTS_DIR, newPage, startBrowserSite, type BrowserSite } from './browser';

// A layout must hold whatever the content: a photo that fails to load (laid out at its width
// attribute with its alt text inside), and words, captions and alt texts longer than a column.
const LONG_WORD = 'Supercalifragilistic'.repeat(6); // 120 letters and no place to break
const STRESS_STORY = {
  section: 'Science',
  slug: 'Layout-stress-story',
  headline: `Overflowtest: a headline with ${LONG_WORD} in it`,
  deck: `A deck that holds ${LONG_WORD} too.`,
  byline: `${LONG_WORD}, Staff writer`,
  published_at: '2026-01-01T12:00:00Z',
  hero_photo: { file: 'stress-photo.png', alt: `Alt text ${LONG_WORD}${LONG_WORD}`, caption: `A caption ${LONG_WORD}`, credit: LONG_WORD },
  body: [`A paragraph with ${LONG_WORD} and a link-like https://example.org/${LONG_WORD}/${LONG_WORD}.`, 'A second paragraph.'],
};
const STRESS_PATH = '/Science/2026/0101/Layout-stress-story';

type PageKind = { name: string; open: (page: Page) => Promise<unknown> };
const visit = (url: string) => (page: Page) => page.goto(url, { waitUntil: 'load' });
const PAGE_KINDS: PageKind[] = [
  { name: 'front', open: visit('/') },
  { name: 'section', open: visit('/Science') },
  { name: 'article', open: visit('/World/Asia-Pacific/2013/0629/Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step') },
  { name: 'long-words-article', open: visit(STRESS_PATH) },
  { name: 'results', open: visit('/search?q=korea') },
  { name: 'long-words-results', open: visit('/search?q=overflowtest') },
  { name: 'no-results', open: visit('/search?q=qqqzzzxxy') },
  { name: 'subscribe', open: visit('/subscribe') },
  {
    name: 'subscribe-error',
    open: async (page) => {
      await page.goto('/subscribe');
      await page.locator('#subscribe-email').fill(`${LONG_WORD}@`);
      await page.waitForTimeout(2200); // the form refuses posts quicker than a person types
      await page.getByRole('button', { name: 'Subscribe' }).click();
      await page.locator('#error-summary').waitFor();
    },
  },
  { name: 'not-found', open: visit(`/no-such-page/${LONG_WORD}`) },
];

let site: BrowserSite;
beforeAll(async () => {
  site = await startBrowserSite();
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  // The stress story goes in as an editor's import would, through the built command.
  const importDir = path.join(site.dir, 'import');
  fs.mkdirSync(importDir);
  await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#557799' } })
    .png()
    .toFile(path.join(importDir, 'stress-photo.png'));
  fs.writeFileSync(path.join(importDir, 'stress.ndjson'), JSON.stringify(STRESS_STORY));
  execFileSync(process.execPath, [path.join(PACKAGE_ROOT, 'dist/src/cli/import.js'), path.join(importDir, 'stress.ndjson')], {
    env: { PATH: process.env.PATH ?? '', DATABASE_PATH: site.databasePath, LOG_LEVEL: 'warn' },
    stdio: 'pipe',
  });
}, 90_000);
afterAll(() => site?.close());

async function openWith(width: number, images: 'load' | 'fail'): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await newPage(site, { width, height: 800 });
  if (images === 'fail') await opened.context.route(/\/(photos|assets)\/.+\.(jpg|webp|png|svg)$/, (route) => route.abort());
  return opened;
}

async function measure(page: Page) {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    images: document.images.length,
    // What sticks out, to say in a failure which element widened the page.
    wider: [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 3)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
  }));
}

test('the stress story is on the front page, in its section and in search', async () => {
  for (const url of ['/', '/Science', '/search?q=overflowtest']) {
    const html = await (await fetch(`${site.server.url}${url}`)).text();
    expect(html).toContain(`href="${STRESS_PATH}"`);
  }
});

describe.each([1280, 375])('at %i px wide', (width) => {
  test.each(PAGE_KINDS.map((kind) => [kind.name, kind] as const))(
    '%s: no horizontal scrolling, images sized, no layout shift from images',
    async (name, kind) => {
      const { context, page } = await openWith(width, 'load');
      // Count layout shifts from the very start of the page's life.
      await page.addInitScript(() => {
        const record = window as unknown as { shifts: number; moved: string[] };
        record.shifts = 0;
        record.moved = [];
        type Shift = PerformanceEntry & { value: number; hadRecentInput: boolean; sources?: { node?: Node | null }[] };
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as Shift[]) {
            if (entry.hadRecentInput) continue;
            record.shifts += entry.value;
            // What moved, to say in a failure (a shift is rare and may depend on timing).
            for (const source of entry.sources ?? []) {
              const node = source.node as Element | null | undefined;
              record.moved.push(
                `${entry.value.toFixed(4)} ${node ? `${node.nodeName.toLowerCase()}.${String(node.className ?? '')}` : '(gone)'}`,
              );
            }
          }
        }).observe({ type: 'layout-shift', buffered: true });
      });
      await kind.open(page);
      // Load every lazy image now, so that any shift they would cause when they arrive is counted.
      await page.evaluate(() => {
        for (const img of document.images) img.loading = 'eager';
      });
      await page.waitForFunction(() => [...document.images].every((img) => img.complete), undefined, { timeout: 10_000 });
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}-${width}.png`), fullPage: true });
      const { scrollWidth, innerWidth, wider } = await measure(page);
      const { shifts, moved, unsized, broken } = await page.evaluate(() => ({
        shifts: (window as unknown as { shifts: number }).shifts,
        moved: (window as unknown as { moved: string[] }).moved,
        unsized: [...document.images].filter((img) => !img.getAttribute('width') || !img.getAttribute('height')).length,
        broken: [...document.images].filter((img) => img.naturalWidth === 0).map((img) => img.currentSrc),
      }));
      expect({ scrollWidth, wider }).toEqual({ scrollWidth: Math.min(scrollWidth, innerWidth), wider: [] });
      expect(broken).toEqual([]);
      expect(unsized).toBe(0);
      expect({ shifts: shifts < 0.01 ? 'under 0.01' : shifts, moved: shifts < 0.01 ? [] : moved }).toEqual({
        shifts: 'under 0.01',
        moved: [],
      });
      await context.close();
    },
  );

  test.each(PAGE_KINDS.map((kind) => [kind.name, kind] as const))(
    '%s with every image failing: no horizontal scrolling',
    async (name, kind) => {
      const { context, page } = await openWith(width, 'fail');
      await kind.open(page);
      await page.evaluate(() => {
        for (const img of document.images) img.loading = 'eager';
      });
      await page.waitForFunction(() => [...document.images].every((img) => img.complete), undefined, { timeout: 10_000 });
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}-${width}-images-failing.png`), fullPage: true });
      const { scrollWidth, innerWidth, images, wider } = await measure(page);
      if (name !== 'subscribe' && name !== 'subscribe-error') expect(images).toBeGreaterThan(0);
      expect({ scrollWidth, wider }).toEqual({ scrollWidth: Math.min(scrollWidth, innerWidth), wider: [] });
      await context.close();
    },
  );
});
