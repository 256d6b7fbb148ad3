import { PageCache, type CachedPage } from '../../src/delivery/page-cache';

const page = (body: string, version = 1): CachedPage => ({
  status: 200,
  headers: {},
  body: Buffer.from(body),
  etag: 'W/"x"',
  version,
  period: 1,
  expiresAt: Date.now() + 60_000,
});

test('an entry is good only for its content version, period and lifetime', () => {
  const cache = new PageCache(1_000_000, 60_000);
  cache.set('/a', page('a'.repeat(100)));
  expect(cache.get('/a', 1, 1, Date.now())).toBeDefined();
  expect(cache.get('/a', 2, 1, Date.now())).toBeUndefined();
  cache.set('/a', page('a'.repeat(100)));
  expect(cache.get('/a', 1, 2, Date.now())).toBeUndefined();
  cache.set('/a', page('a'.repeat(100)));
  expect(cache.get('/a', 1, 1, Date.now() + 120_000)).toBeUndefined();
  expect(cache.size.entries).toBe(0);
});

test('the least recently used entries go first, and compressed copies count towards the limit', () => {
  const cache = new PageCache(100_000, 60_000);
  for (let i = 1; i <= 8; i += 1) cache.set(`/${i}`, page(`${i}`.repeat(12_000)));
  expect(cache.size).toMatchObject({ entries: 8, bytes: 96_000 });
  cache.get('/1', 1, 1, Date.now());
  cache.set('/9', page('9'.repeat(12_000)));
  expect(cache.size.bytes).toBeLessThanOrEqual(100_000);
  expect(cache.get('/2', 1, 1, Date.now())).toBeUndefined();
  expect(cache.get('/1', 1, 1, Date.now())).toBeDefined();
  const entry = cache.get('/9', 1, 1, Date.now())!;
  expect(cache.encoded(entry, 'gzip, br').encoding).toBe('br');
  expect(cache.encoded(entry, 'gzip').encoding).toBe('gzip');
  expect(cache.size.bytes).toBe(96_000 + entry.br!.length + entry.gzip!.length);
  // A page larger than an eighth of the cache is not kept at all.
  cache.set('/big', page('b'.repeat(20_000)));
  expect(cache.get('/big', 1, 1, Date.now())).toBeUndefined();
});

test('a page is admitted from its second request on, so that one-off visits do not push out popular pages', () => {
  const cache = new PageCache(1_000_000, 60_000);
  expect(cache.admits('/a')).toBe(false);
  expect(cache.admits('/b')).toBe(false);
  expect(cache.admits('/a')).toBe(true);
  expect(cache.admits('/b')).toBe(true);
  expect(cache.admits('/c')).toBe(false);
});

test('a kept page that goes out of date is kept again from its next render, not its second', () => {
  const cache = new PageCache(1_000_000, 60_000);
  expect(cache.admits('/front')).toBe(false);
  expect(cache.admits('/front')).toBe(true);
  cache.set('/front', page('f'.repeat(100), 1));
  // An edit: the content version moves on, and the copy is dropped when next asked for.
  expect(cache.get('/front', 2, 1, Date.now())).toBeUndefined();
  expect(cache.admits('/front')).toBe(true);
  // A page that was never kept still waits for its second request.
  expect(cache.admits('/archive-story')).toBe(false);
});
