import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PACKAGE_ROOT } from '../../src/project-paths';
import { FormTokens } from '../../src/http/form-tokens';
import { panelSignup, panelToken, runBuiltServerToExit, startBuiltServer } from '../helpers/child-server';
import { SEED_ARTICLE_PATH } from '../helpers/test-site';

// The server as operators run it: the built entry point (npm test builds it first), as a child
// process on loopback.
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-site-ops-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Sends raw bytes on a socket and collects what comes back until the server closes it. */
function rawConnection(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return { socket, received: () => received, closed };
}

test('a request in flight when SIGTERM arrives completes with 200, then the server exits 0', async () => {
  const databasePath = path.join(dir, 'news.db');
  const server = await startBuiltServer({ DATABASE_PATH: databasePath, WEB_CONCURRENCY: '1', SECRET_KEY: SECRET });
  const db = new Database(databasePath);
  const id = Number(
    db
      .prepare(
        "INSERT INTO subscriptions (email, name, plan_code, status, created_at, updated_at) VALUES ('inflight@example.com', '', 'digital', 'confirmed', 'x', 'x')",
      )
      .run().lastInsertRowid,
  );
  db.close();
  const token = new FormTokens(Buffer.from(SECRET)).unsubscribeToken(id, 'inflight@example.com');
  const body = 'List-Unsubscribe=One-Click';
  const port = Number(new URL(server.url).port);
  const connection = rawConnection(port);
  connection.socket.write(
    `POST /subscribe/unsubscribe?token=${token} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`,
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  server.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 300));
  // New connections are refused while the old request finishes.
  await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  connection.socket.write(body.slice(5));
  await connection.closed;
  expect(connection.received()).toMatch(/^HTTP\/1\.1 200 OK/);
  expect(connection.received()).toContain('You are unsubscribed');
  expect(await server.exited).toBe(0);
}, 60_000);

test('a slow client sending one header byte at a time is cut off with 408 while other readers are served', async () => {
  const server = await startBuiltServer({ DATABASE_PATH: path.join(dir, 'news.db'), WEB_CONCURRENCY: '1', HEADERS_TIMEOUT_MS: '1500' });
  try {
    const port = Number(new URL(server.url).port);
    const slow = rawConnection(port);
    slow.socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const header = 'X-Slow: ' + 'a'.repeat(40);
    let sent = 0;
    const drip = setInterval(() => {
      if (!slow.socket.destroyed && sent < header.length) slow.socket.write(header[sent++]!);
    }, 400);
    const started = Date.now();
    let served = 0;
    while (!slow.received() && Date.now() - started < 8000) {
      if ((await fetch(`${server.url}${SEED_ARTICLE_PATH}`)).status === 200) served += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    clearInterval(drip);
    await slow.closed;
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(6000);
    expect(served).toBeGreaterThan(3);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}, 60_000);

test('a corrupted database file stops start-up with a clear message, and is not migrated or changed', async () => {
  const databasePath = path.join(dir, 'news.db');
  const first = await startBuiltServer({ DATABASE_PATH: databasePath, WEB_CONCURRENCY: '1' });
  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  // A file that is not there yet is not announced (there is nothing to read); the time is logged.
  expect(first.output()).not.toMatch(/checking the database file/);
  expect(first.output()).toMatch(/"checkMs":\d+.*opened the database/);
  // Overwrite bytes in the middle of the file, as a failing disk would.
  const size = fs.statSync(databasePath).size;
  const handle = fs.openSync(databasePath, 'r+');
  fs.writeSync(handle, Buffer.alloc(8192, 0x5a), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
  fs.closeSync(handle);
  const before = sha256(databasePath);
  const result = await runBuiltServerToExit({ DATABASE_PATH: databasePath, WEB_CONCURRENCY: '1' });
  expect(result.code).toBe(1);
  expect(result.output).toMatch(/corrupt|failed its start-up check|could not be opened/);
  expect(result.output).toMatch(/backup/);
  // What was logged before the failure is written out before the process exits.
  expect(result.output).toMatch(/"megabytes":\d+.*checking the database file/);
  expect(sha256(databasePath)).toBe(before);
}, 60_000);

test('a database path that cannot be written stops start-up with a clear message', async () => {
  const result = await runBuiltServerToExit({ DATABASE_PATH: '/proc/news-site/news.db', WEB_CONCURRENCY: '1' });
  expect(result.code).toBe(1);
  expect(result.output).toMatch(/cannot be written/);
  const notSqlite = path.join(dir, 'not-a-database.db');
  fs.writeFileSync(notSqlite, 'this is not an SQLite database at all, just text that is long enough to look like a header'.repeat(100));
  const bad = await runBuiltServerToExit({ DATABASE_PATH: notSqlite, WEB_CONCURRENCY: '1' });
  expect(bad.code).toBe(1);
  expect(bad.output).toMatch(/not an SQLite database|not a database|could not be opened|start-up check/i);
}, 60_000);

test('a DATABASE_PATH that is a folder, under a file, or in /proc is named as such, not as a corrupt database', async () => {
  const folder = path.join(dir, 'a-folder');
  fs.mkdirSync(folder);
  const asFolder = await runBuiltServerToExit({ DATABASE_PATH: folder, WEB_CONCURRENCY: '1' });
  expect(asFolder.code).toBe(1);
  expect(asFolder.output).toContain(`DATABASE_PATH ${folder} is a folder`);
  const file = path.join(dir, 'plain-file');
  fs.writeFileSync(file, 'x');
  const underFile = await runBuiltServerToExit({ DATABASE_PATH: path.join(file, 'news.db'), WEB_CONCURRENCY: '1' });
  expect(underFile.code).toBe(1);
  expect(underFile.output).toContain(`is under ${file}, which is a file, not a folder`);
  const inProc = await runBuiltServerToExit({ DATABASE_PATH: '/proc/news.db', WEB_CONCURRENCY: '1' });
  expect(inProc.code).toBe(1);
  expect(inProc.output).toMatch(/could not be created|cannot be written/);
  for (const output of [asFolder.output, underFile.output, inProc.output]) expect(output).not.toMatch(/corrupt|restore it from a backup/);
}, 60_000);

test('npm run backup takes a consistent copy under load, and the site boots from it', async () => {
  const databasePath = path.join(dir, 'news.db');
  const server = await startBuiltServer({ DATABASE_PATH: databasePath, TRUST_PROXY: 'loopback' });
  const destination = path.join(dir, 'backup.db');
  let load = true;
  let requests = 0;
  let signups = 0;
  try {
    const csrf = await panelToken(server.url);
    const readers = Array.from({ length: 4 }, async () => {
      while (load) {
        const res = await fetch(`${server.url}${requests % 2 ? '/World' : SEED_ARTICLE_PATH}`);
        await res.arrayBuffer();
        requests += 1;
      }
    });
    const writer = (async () => {
      for (let n = 0; load; n += 1) {
        const res = await panelSignup(server.url, csrf, `backup${n}@example.com`, `198.51.100.${n % 250}`);
        if (res.status === 303) signups += 1;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(PACKAGE_ROOT, 'dist/src/cli/backup.js'), destination], {
        env: { PATH: process.env.PATH, DATABASE_PATH: databasePath },
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(text))));
    });
    expect(output).toMatch(/integrity ok/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    load = false;
    await Promise.all([...readers, writer]);
  } finally {
    load = false;
    server.child.kill('SIGTERM');
    await server.exited;
  }
  expect(requests).toBeGreaterThan(10);
  expect(signups).toBeGreaterThan(0);
  const copy = new Database(destination, { readonly: true });
  expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(copy.prepare('SELECT count(*) FROM articles').pluck().get()).toBe(48);
  copy.close();
  // Restore = put the copy where DATABASE_PATH points and start.
  const restored = await startBuiltServer({ DATABASE_PATH: destination, WEB_CONCURRENCY: '1' });
  try {
    expect((await fetch(`${restored.url}${SEED_ARTICLE_PATH}`)).status).toBe(200);
  } finally {
    restored.child.kill('SIGTERM');
    await restored.exited;
  }
  expect(() =>
    execFileSync(process.execPath, [path.join(PACKAGE_ROOT, 'dist/src/cli/backup.js'), destination], {
      env: { PATH: process.env.PATH, DATABASE_PATH: databasePath },
      stdio: 'pipe',
    }),
  ).toThrow();
}, 90_000);

test('npm start runs one worker per core and replaces a worker that dies', async () => {
  const server = await startBuiltServer({ DATABASE_PATH: path.join(dir, 'news.db'), WEB_CONCURRENCY: '2' });
  const workers = () =>
    execFileSync('ps', ['-o', 'pid=', '--ppid', String(server.child.pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter(Boolean);
  try {
    const waitForWorkers = async (count: number) => {
      const deadline = Date.now() + 15_000;
      while (workers().length !== count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      return workers();
    };
    const before = await waitForWorkers(2);
    expect(before).toHaveLength(2);
    process.kill(before[0]!, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < 10; i += 1) expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const deadline = Date.now() + 15_000;
    let after = workers();
    while ((after.length !== 2 || after.includes(before[0]!)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = workers();
    }
    expect(after).toHaveLength(2);
    expect(after).not.toContain(before[0]);
    expect(server.output()).toMatch(/worker died; starting another/);
  } finally {
    server.child.kill('SIGTERM');
  }
  expect(await server.exited).toBe(0);
}, 60_000);

test('rate limits hold across workers: a burst from one address is cut at the same count', async () => {
  const server = await startBuiltServer({ DATABASE_PATH: path.join(dir, 'news.db'), WEB_CONCURRENCY: '2', TRUST_PROXY: 'loopback' });
  try {
    const csrf = await panelToken(server.url);
    const statuses = await Promise.all(
      Array.from({ length: 30 }, async (_, n) => {
        return (await panelSignup(server.url, csrf, `limit${n}@example.com`, '192.0.2.50')).status;
      }),
    );
    expect(statuses.filter((status) => ![303, 429].includes(status))).toEqual([]);
    expect(statuses.filter((status) => status === 303)).toHaveLength(20);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}, 60_000);
