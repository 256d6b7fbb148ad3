import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import * as cheerio from 'cheerio';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app';
import { ArticlePages } from '../../src/articles/article-page-assembly';
import { createTestSite, TEST_NOW, type TestSite } from '../helpers/test-site';

// The front door (src/delivery/front-door.ts) answers cached pages and stored stories before
// Express. Whoever answers, a reader must get the same thing: the same status for conditional
// and HEAD requests, a request id that matches one log line, and the error page, not a crash,
// when the database cannot be read.

let site: TestSite;
let app: TestSite['app'];
let logLines: Record<string, unknown>[];

beforeEach(async () => {
  site = await createTestSite();
  logLines = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  app = createApp({ db: site.db, config: site.config, logger: pino({ level: 'info' }, sink), now: () => TEST_NOW });
});
afterEach(() => site.close());

// supertest asks for gzip by default; stored stories are answered early only without compression.
const identity = (path: string) => request(app).get(path).set('Accept-Encoding', 'identity');

async function storyPaths(): Promise<string[]> {
  const $ = cheerio.load((await request(app).get('/World')).text);
  return $('.story-card__headline a')
    .map((_, a) => $(a).attr('href')!)
    .get()
    .filter((href) => /\/\d{4}\/\d{4}\//.test(href));
}

/** Serves `path` the normal way once, so that the next identity request is answered from its stored render. */
async function storedStory(): Promise<{ path: string; normal: request.Response }> {
  const [path] = await storyPaths();
  const normal = await identity(path!);
  expect(normal.status).toBe(200);
  return { path: path!, normal };
}

const requestLines = () => logLines.filter((line) => line.msg === 'request');

test('a stored story answers conditional and HEAD requests as the routes do', async () => {
  const { path, normal } = await storedStory();
  const pageSpy = jest.spyOn(ArticlePages.prototype, 'page');
  try {
    const again = await identity(path).set('If-None-Match', normal.headers.etag!);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(normal.headers.etag);

    const stale = await identity(path).set('If-None-Match', 'W/"an-older-copy"');
    expect(stale.status).toBe(200);
    expect(stale.text).toBe(normal.text);

    const head = await request(app).head(path).set('Accept-Encoding', 'identity');
    expect(head.status).toBe(200);
    expect(head.text).toBeUndefined();
    expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(normal.text));
    expect(head.headers.etag).toBe(normal.headers.etag);
    // All three came from the stored render, not from the routes.
    expect(pageSpy).not.toHaveBeenCalled();
  } finally {
    pageSpy.mockRestore();
  }
});

/** The raw bytes on the wire (supertest would decompress them). */
async function rawGet(path: string, acceptEncoding: string): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    return await new Promise((resolve, reject) => {
      const options = {
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        path,
        headers: { 'accept-encoding': acceptEncoding },
      };
      http
        .get(options, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('a stored story for a browser that accepts gzip', () => {
  const browser = 'gzip, deflate, br, zstd';

  test('is a valid gzip body of the same page, joined from stored pieces', async () => {
    const { path, normal } = await storedStory();
    const pageSpy = jest.spyOn(ArticlePages.prototype, 'page');
    try {
      const gzipped = await rawGet(path, browser);
      expect(gzipped.headers['content-encoding']).toBe('gzip');
      expect(gzipped.headers.vary).toBe('Accept-Encoding');
      expect(Number(gzipped.headers['content-length'])).toBe(gzipped.body.length);
      expect(gzipped.headers.etag).toBe(normal.headers.etag);
      // gunzip checks the trailer's CRC-32 and length too.
      expect(zlib.gunzipSync(gzipped.body).toString()).toBe(normal.text);
      expect(gzipped.body.length).toBeLessThan(Buffer.byteLength(normal.text) / 3);
      expect(pageSpy).not.toHaveBeenCalled();
    } finally {
      pageSpy.mockRestore();
    }
  });

  test('is whole without the offer panel too (its layout has no per-page piece then)', async () => {
    site.db.prepare('UPDATE offers SET active = 0').run();
    const { path, normal } = await storedStory();
    expect(normal.text).not.toContain('name="source"');
    const gzipped = await rawGet(path, browser);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gzipped.body).toString()).toBe(normal.text);
  });

  test('gets what it asked for when it refuses gzip', async () => {
    const { path, normal } = await storedStory();
    const brotli = await rawGet(path, 'gzip;q=0, br');
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(brotli.body).toString()).toBe(normal.text);
    const plain = await rawGet(path, 'gzip;q=0');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(normal.text);
  });
});

test('a cached page answers conditional, HEAD and compressed requests as the routes do', async () => {
  const routes = await request(app).get('/World').set('Accept-Encoding', 'identity');
  await request(app).get('/World').set('Accept-Encoding', 'identity'); // kept from its second request
  const cached = await request(app).get('/World').set('Accept-Encoding', 'gzip');
  expect(cached.status).toBe(200);
  expect(cached.headers['content-encoding']).toBe('gzip');
  expect(cached.text).toBe(routes.text);
  expect(cached.headers.etag).toBe(routes.headers.etag);

  expect((await request(app).get('/World').set('If-None-Match', routes.headers.etag!)).status).toBe(304);
  const head = await request(app).head('/World').set('Accept-Encoding', 'identity');
  expect(head.status).toBe(200);
  expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(routes.text));
});

test('every request is logged once, under the id it was answered with, whoever answered it', async () => {
  const { path } = await storedStory();
  await request(app).get('/World');
  const paths = [path, '/World', '/search?q=Korea', '/No/2013/0101/such-story'];
  // In order: the stored render, the page cache, the routes, the routes' 404.
  const answers = [
    await identity(paths[0]!),
    await request(app).get(paths[1]!),
    await request(app).get(paths[2]!),
    await request(app).get(paths[3]!),
  ];
  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 404]);
  answers.forEach((answer, i) => {
    const id = answer.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const lines = requestLines().filter((line) => line.reqId === id);
    expect(lines).toEqual([expect.objectContaining({ method: 'GET', status: answer.status, path: paths[i]!.split('?')[0] })]);
  });
  expect(new Set(answers.map((answer) => answer.headers['x-request-id'])).size).toBe(answers.length);
});

test('HTTPS is told from HTTP as Express tells it: X-Forwarded-Proto counts only from the trusted proxy', async () => {
  const own = await createTestSite({ env: { TRUST_PROXY: '127.0.0.1' } });
  const server = http.createServer(own.app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  // Loopback answers from any 127.x address: 127.0.0.2 stands for a client that is not the proxy.
  const get = (path: string, from: string, proto?: string) =>
    new Promise<http.IncomingMessage>((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = proto ? { 'x-forwarded-proto': proto } : {};
      http
        .get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path, localAddress: from, headers }, (res) => {
          res.resume();
          res.on('end', () => resolve(res));
        })
        .on('error', reject);
    });
  try {
    const $ = cheerio.load((await request(own.app).get('/World')).text);
    const path = $('.story-card__headline a').first().attr('href')!;
    const hsts = async (from: string, proto?: string) => (await get(path, from, proto)).headers['strict-transport-security'];
    // The routes serve it over HTTPS first (the front door keeps their headers), then the front door does.
    expect(await hsts('127.0.0.1', 'https')).toContain('max-age=');
    expect(await hsts('127.0.0.1', 'https')).toContain('max-age=');
    expect(await hsts('127.0.0.1')).toBeUndefined();
    expect(await hsts('127.0.0.1', 'http, https')).toBeUndefined();
    expect(await hsts('127.0.0.2', 'https')).toBeUndefined();
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await own.close();
  }
});

test('when the database cannot be read, the routes answer with their error page', async () => {
  const { path } = await storedStory();
  site.db.close();
  const failed = await identity(path);
  expect(failed.status).toBe(500);
  expect(cheerio.load(failed.text)('h1').text()).toBe('Something went wrong');
  const lines = requestLines().filter((line) => line.reqId === failed.headers['x-request-id']);
  expect(lines).toEqual([expect.objectContaining({ status: 500, path })]);
});
