import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { panelSignup, panelToken, startBuiltServer } from '../helpers/child-server';

// Nothing lost: every sign-up that was answered with its thank-you redirect survives the server
// being killed with SIGKILL in the middle of a burst. (Runs the built server: npm test builds it.)
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-site-crash-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a burst of sign-ups, SIGKILL half-way, restart: every acknowledged sign-up is there and the database is sound', async () => {
  const env = { DATABASE_PATH: path.join(dir, 'news.db'), TRUST_PROXY: 'loopback', LOG_LEVEL: 'warn' };
  const server = await startBuiltServer(env);
  const csrf = await panelToken(server.url);

  const acknowledged: string[] = [];
  let killed = false;
  const signUp = async (n: number) => {
    const email = `crash${n}@example.com`;
    try {
      const res = await panelSignup(server.url, csrf, email, `198.51.100.${n % 250}`);
      if (res.status === 303 && res.headers.get('location') === '/subscribe/thanks') acknowledged.push(email);
    } catch {
      // the connection died with the server: this one was not acknowledged
    }
    if (!killed && acknowledged.length >= 60) {
      killed = true;
      server.child.kill('SIGKILL');
    }
  };
  // Eight clients at a time, until the server is gone.
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (!killed && next < 400) await signUp(next++);
    }),
  );
  await server.exited;
  expect(killed).toBe(true);
  expect(acknowledged.length).toBeGreaterThanOrEqual(60);

  const restarted = await startBuiltServer(env);
  try {
    expect((await fetch(`${restarted.url}/healthz`)).status).toBe(200);
  } finally {
    restarted.child.kill('SIGTERM');
    await restarted.exited;
  }
  const db = new Database(env.DATABASE_PATH, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = new Set(db.prepare('SELECT email FROM subscriptions').pluck().all() as string[]);
    expect(acknowledged.filter((email) => !stored.has(email))).toEqual([]);
    // Each stored sign-up has its consent record and its mail: no half-written rows.
    expect(
      db
        .prepare('SELECT count(*) FROM subscriptions s WHERE NOT EXISTS (SELECT 1 FROM consents c WHERE c.subscription_id = s.id)')
        .pluck()
        .get(),
    ).toBe(0);
    expect(
      db
        .prepare('SELECT count(*) FROM subscriptions s WHERE NOT EXISTS (SELECT 1 FROM mail_outbox m WHERE m.subscription_id = s.id)')
        .pluck()
        .get(),
    ).toBe(0);
  } finally {
    db.close();
  }
}, 90_000);
