import { Writable } from 'node:stream';
import * as cheerio from 'cheerio';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createTestSite, SEED_ARTICLE_PATH } from '../helpers/test-site';

test('every 5xx is logged with its request id, and the page shows none of the error', async () => {
  const site = await createTestSite();
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  const app = createApp({ db: site.db, config: site.config, logger: pino({ level: 'info' }, sink) });
  try {
    expect((await request(app).get(SEED_ARTICLE_PATH)).status).toBe(200);
    const ok = lines.find((line) => line.msg === 'request');
    expect(ok).toMatchObject({
      method: 'GET',
      path: SEED_ARTICLE_PATH,
      status: 200,
      reqId: expect.any(String),
      durationMs: expect.any(Number),
    });
    site.db.close();
    const res = await request(app).get('/World');
    expect(res.status).toBe(500);
    const requestId = res.headers['x-request-id'];
    const failure = lines.find((line) => line.msg === 'request failed');
    expect(failure).toMatchObject({ level: 50, reqId: requestId, path: '/World' });
    expect((failure!.err as { message: string }).message).toMatch(/not open/);
    const page = cheerio.load(res.text);
    expect(page('h1').text()).toBe('Something went wrong');
    expect(res.text).not.toMatch(/not open|at \w+ \(|\/work\/|SELECT/);
  } finally {
    await site.close();
  }
});
