import { execFile } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/project-paths';
import { startBuiltServerInTempDir, type ChildServer } from '../helpers/child-server';

// A crawl of the whole seeded site with linkinator, as a reader's browser and a crawler would
// follow it: pages, srcset variants, stylesheets and icons, feeds and sitemaps. linkinator
// reads HTML only, so it also starts from every same-site URL that the feeds and sitemaps name.
const LINKINATOR = path.join(PACKAGE_ROOT, 'node_modules/.bin/linkinator');

type CheckedLink = { url: string; status: number; state: 'OK' | 'BROKEN' | 'SKIPPED'; parent?: string };

let server: ChildServer;
let stop: () => Promise<void>;
beforeAll(async () => {
  // Its data under a dot folder, where many operators keep it.
  ({ server, stop } = await startBuiltServerInTempDir({}, '.local/share/news/news.db'));
}, 60_000);
afterAll(() => stop?.());

/** Every URL on this site that a feed or sitemap names (item links, enclosures, sitemap locs). */
async function urlsNamedIn(documentPaths: string[]): Promise<string[]> {
  const urls = new Set<string>();
  // A URL ends at a quote, an angle bracket, white space or a backslash (JSON's escaped quotes).
  const sameSite = new RegExp(String.raw`${server.url.replace(/[.]/g, '\\.')}/[^"'<>\s\\]*`, 'g');
  for (const documentPath of documentPaths) {
    const res = await fetch(`${server.url}${documentPath}`);
    expect({ documentPath, status: res.status }).toEqual({ documentPath, status: 200 });
    for (const url of (await res.text()).match(sameSite) ?? []) urls.add(url.replace(/&amp;/g, '&'));
  }
  return [...urls];
}

function crawl(startUrls: string[]): Promise<CheckedLink[]> {
  return new Promise((resolve, reject) => {
    const skipOtherSites = `^(?!${server.url.replace(/[.]/g, '\\.')})`;
    execFile(
      LINKINATOR,
      [...startUrls, '--recurse', '--skip', skipOtherSites, '--concurrency', '8', '--format', 'json'],
      { maxBuffer: 256 << 20 },
      (error, stdout, stderr) => {
        // linkinator exits 1 when it finds a broken link; its report is still on stdout.
        if (!stdout.trim().startsWith('{')) return reject(new Error(`linkinator did not report: ${error?.message}\n${stderr}`));
        resolve((JSON.parse(stdout) as { links: CheckedLink[] }).links);
      },
    );
  });
}

test('the whole seeded site has no broken internal links, images and feeds included', async () => {
  const feeds = ['/feeds/all.rss', '/feeds/all.atom', '/feeds/all.json', '/feeds/World.rss', '/feeds/World/Asia-Pacific.atom'];
  const sitemaps = ['/sitemap.xml', '/sitemaps/sections.xml', '/sitemaps/articles-1.xml', '/news-sitemap.xml'];
  const named = await urlsNamedIn([...feeds, ...sitemaps]);
  const links = await crawl([`${server.url}/`, `${server.url}/feeds`, ...feeds.map((f) => server.url + f), ...named]);

  const broken = links.filter((link) => link.state === 'BROKEN').map((link) => `${link.status} ${link.url} (on ${link.parent})`);
  expect(broken).toEqual([]);

  // The crawl did reach every kind of thing, so that "nothing broken" means something.
  const checked = new Set(links.filter((link) => link.state === 'OK').map((link) => link.url.slice(server.url.length)));
  const count = (pattern: RegExp) => [...checked].filter((url) => pattern.test(url)).length;
  const namedArticles = named.map((url) => url.slice(server.url.length)).filter((url) => /\/\d{4}\/\d{4}\/[^/]+$/.test(url));
  expect(namedArticles.length).toBeGreaterThanOrEqual(20);
  expect(namedArticles.filter((url) => !checked.has(url))).toEqual([]);
  expect(count(/^\/photos\/.+\.webp$/)).toBeGreaterThanOrEqual(20);
  expect(count(/^\/photos\/.+\.jpg$/)).toBeGreaterThanOrEqual(20);
  expect(count(/^\/feeds\/.+\.(rss|atom|json)$/)).toBeGreaterThanOrEqual(30);
  expect(count(/^\/topics\//)).toBeGreaterThanOrEqual(5);
  expect(count(/^\/assets\/site\.[0-9a-f]+\.css$/)).toBe(1);
}, 120_000);
