import { Writable } from 'node:stream';
import * as cheerio from 'cheerio';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app';
import { capturedLog } from '../helpers/captured-log';
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

test("a trusted proxy's X-Request-Id names the request in the answer and the log; anyone else's is ignored", async () => {
  const captured = capturedLog('info');
  const behindProxy = await createTestSite({ env: { TRUST_PROXY: 'loopback' }, logger: captured.logger });
  const direct = await createTestSite();
  try {
    const proxied = await request(behindProxy.app).get(SEED_ARTICLE_PATH).set('X-Request-Id', 'edge-7f3a91c2');
    expect(proxied.headers['x-request-id']).toBe('edge-7f3a91c2');
    expect(captured.text()).toContain('"reqId":"edge-7f3a91c2"');
    // A value that could forge log lines or bloat them is replaced by the site's own.
    const odd = await request(behindProxy.app).get(SEED_ARTICLE_PATH).set('X-Request-Id', 'a"b\\nlevel:60');
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // Without TRUST_PROXY, a client's header is not believed.
    const untrusted = await request(direct.app).get(SEED_ARTICLE_PATH).set('X-Request-Id', 'chosen-by-client');
    expect(untrusted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  } finally {
    await behindProxy.close();
    await direct.close();
  }
});
