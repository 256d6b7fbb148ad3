import fc from 'fast-check';
import request from 'supertest';
import { createTestSite, type TestSite } from '../helpers/test-site';

// Random paths, query strings, headers and form bodies thrown at the whole app: nothing may answer
// 5xx, and nothing a client sends may come back as markup. Every generated input carries a marker
// tag; it may appear in a page only escaped.
let site: TestSite;
beforeAll(async () => {
  site = await createTestSite({ env: { TRUST_PROXY: 'loopback' } });
});
afterAll(() => site.close());

const MARKER = '<zq-fuzz>';
const piece = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    'World',
    'Asia-Pacific',
    '2013',
    '0629',
    'topics',
    'search',
    'feeds',
    'subscribe',
    'photos',
    'assets',
    '..',
    '.',
    '%',
    '%2e%2e',
    '%252e',
    '%00',
    '%E0%A4%A',
    '%C0%AF',
    '\\',
    '//',
    '?',
    '#',
    '&',
    '=',
    '[]',
    MARKER,
    '"\'><script>',
    'Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step',
    'all.rss',
    'sitemaps',
    'articles-1.xml',
  ),
);
const pathArbitrary = fc
  .array(piece, { minLength: 1, maxLength: 6 })
  .map((parts) => `/${parts.map((p) => encodeURI(p).replace(/%25(?=[0-9A-Fa-f]{2})/g, '%')).join('/')}`);
const queryArbitrary = fc
  .array(fc.tuple(fc.constantFrom('q', 'page', 'sort', 'section', 'from', 'to', 'token', 'plan', 'q[]', 'page[x]', MARKER), piece), {
    maxLength: 6,
  })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
const headerValue = fc.string({ maxLength: 40 }).map((v) => v.replace(/[^\x20-\x7e]/g, ''));

function expectSafe(res: request.Response) {
  expect(res.status).toBeLessThan(500);
  expect(res.text ?? '').not.toContain(MARKER);
  expect(res.text ?? '').not.toContain('<script>');
}

test('random GETs: paths, query strings and headers', async () => {
  await fc.assert(
    fc.asyncProperty(pathArbitrary, queryArbitrary, headerValue, headerValue, async (path, query, accept, language) => {
      const res = await request(site.app)
        .get(query ? `${path}?${query}` : path)
        .set('Accept', accept || '*/*')
        .set('Accept-Language', language)
        .set('If-None-Match', language)
        .set('If-Modified-Since', accept);
      expectSafe(res);
    }),
    { numRuns: 400 },
  );
});

test('random searches', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 60 }), async (text, binary) => {
      expectSafe(
        await request(site.app)
          .get('/search')
          .query({ q: `${text} ${MARKER} ${binary}` }),
      );
    }),
    { numRuns: 300 },
  );
});

test('random form bodies to every POST route', async () => {
  const field = fc.tuple(
    fc.constantFrom('email', 'name', 'plan', 'consent', '_csrf', 'website', 'source', 'token', 'email[]', MARKER),
    piece,
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('/subscribe', '/subscribe/confirm', '/subscribe/unsubscribe?token=x', '/search', '/World'),
      fc.array(field, { maxLength: 8 }),
      fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data; boundary=x'),
      fc.constantFrom(undefined, 'same-origin', 'cross-site', 'none'),
      fc.integer({ min: 1, max: 65_000 }),
      async (path, pairs, contentType, fetchSite, client) => {
        const body = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(`${v}${MARKER}`)}`).join('&');
        let req = request(site.app)
          .post(path)
          .set('Content-Type', contentType)
          .set('X-Forwarded-For', `10.${client >> 8}.${client & 255}.1`);
        if (fetchSite) req = req.set('Sec-Fetch-Site', fetchSite);
        expectSafe(await req.send(body));
      },
    ),
    { numRuns: 300 },
  );
});
