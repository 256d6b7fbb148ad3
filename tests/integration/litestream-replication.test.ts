import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { freePort, panelSignup, panelToken, runBuiltServerToExit } from '../helpers/child-server';
import { PACKAGE_ROOT } from '../../src/project-paths';

// The disk is lost: the site runs under Litestream (REPLICA_URL, a folder here), takes sign-ups
// and an edit, is killed with SIGKILL together with Litestream, and its database file is deleted.
// `npm run restore` rebuilds it from the replica: every sign-up acknowledged more than a second
// before the kill is there, and a restore to an earlier moment leaves out what came after it.
// Real parts throughout: the built server, the Litestream binary, SQLite files.

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-site-replica-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `npm run restore` (built) with DATABASE_PATH set to `target`. */
function restore(target: string, args: string[]): { code: number | null; output: string } {
  const result = spawnSync(process.execPath, ['dist/src/cli/restore.js', ...args], {
    cwd: PACKAGE_ROOT,
    env: { PATH: process.env.PATH ?? '', DATABASE_PATH: target },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

const subscribedEmails = (file: string): Set<string> => {
  const db = new Database(file, { readonly: true });
  try {
    return new Set(db.prepare<[], string>('SELECT email FROM subscriptions').pluck().all());
  } finally {
    db.close();
  }
};

test('killed with SIGKILL and its file deleted, the site is restored from the replica with every acknowledged sign-up', async () => {
  const databasePath = path.join(dir, 'news.db');
  const replicaUrl = `file://${path.join(dir, 'replica')}`;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  // Its own process group (detached), so that one kill reaches the launcher, Litestream and the site.
  const site = spawn(process.execPath, ['dist/src/server.js'], {
    cwd: PACKAGE_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_PATH: databasePath,
      REPLICA_URL: replicaUrl,
      WEB_CONCURRENCY: '2',
      TRUST_PROXY: 'loopback',
      LOG_LEVEL: 'warn',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  site.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  site.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => site.on('exit', resolve));
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (Date.now() > deadline || site.exitCode !== null) throw new Error(`The site did not start:\n${output}`);
      const healthy = await fetch(`${url}/healthz`).then(
        (res) => res.ok,
        () => false,
      );
      if (healthy) break;
      await sleep(200);
    }
    expect(output).toContain('replicating to');

    const csrf = await panelToken(url);
    const acknowledged: { email: string; at: number }[] = [];
    const signUp = async (email: string, n: number) => {
      try {
        const res = await panelSignup(url, csrf, email, `198.51.100.${n % 250}`);
        if (res.status === 303 && res.headers.get('location') === '/subscribe/thanks') acknowledged.push({ email, at: Date.now() });
      } catch {
        // the connection died with the server: not acknowledged
      }
    };

    // Before the moment: twenty sign-ups and an editor's correction.
    for (let n = 0; n < 20; n += 1) await signUp(`before${n}@example.com`, n);
    const editor = new Database(databasePath);
    editor.pragma('busy_timeout = 5000');
    editor.pragma('wal_autocheckpoint = 0'); // as the site's own connections, under Litestream
    editor.prepare("UPDATE articles SET headline = 'Corrected: talks resume in Moscow' WHERE id = (SELECT min(id) FROM articles)").run();
    editor.close();
    // npm run backup works beside Litestream: a checked copy with the sign-ups so far.
    const backupPath = path.join(dir, 'copy.db');
    const backup = spawnSync(process.execPath, ['dist/src/cli/backup.js', backupPath], {
      cwd: PACKAGE_ROOT,
      env: { PATH: process.env.PATH ?? '', DATABASE_PATH: databasePath },
      encoding: 'utf8',
    });
    expect(backup.stdout).toContain('integrity ok');
    expect(subscribedEmails(backupPath).size).toBe(20);
    await sleep(1200);
    const moment = new Date();
    await sleep(1200);

    // After it: sign-ups from four readers at once, until the machine is gone.
    let killedAt = 0;
    let next = 100;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (!killedAt) {
          const n = next++;
          await signUp(`after${n}@example.com`, n);
          if (!killedAt && Date.now() - started > 2500 && acknowledged.length >= 60) {
            killedAt = Date.now();
            process.kill(-site.pid!, 'SIGKILL');
          }
        }
      }),
    );
    await exited;
    expect(acknowledged.length).toBeGreaterThanOrEqual(60);

    // The disk is gone.
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${databasePath}${suffix}`, { force: true });
    fs.rmSync(path.join(dir, '.news.db-litestream'), { recursive: true, force: true });

    // Starting again without restoring would seed an empty site: npm start refuses, and says what to do.
    const refused = await runBuiltServerToExit({ DATABASE_PATH: databasePath, REPLICA_URL: replicaUrl, PORT: String(port) });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('npm run restore');
    expect(fs.existsSync(databasePath)).toBe(false);

    const latest = restore(databasePath, [replicaUrl]);
    expect(latest.output).toContain('integrity ok');
    expect(latest.code).toBe(0);
    const restored = subscribedEmails(databasePath);
    const safe = acknowledged.filter(({ at }) => at < killedAt - 1000);
    expect(safe.length).toBeGreaterThan(20);
    expect(safe.filter(({ email }) => !restored.has(email)).map(({ email }) => email)).toEqual([]);
    const db = new Database(databasePath, { readonly: true });
    expect(db.prepare('SELECT headline FROM articles WHERE id = (SELECT min(id) FROM articles)').pluck().get()).toBe(
      'Corrected: talks resume in Moscow',
    );
    db.close();

    // An existing file is not overwritten unless asked.
    const before = fs.readFileSync(databasePath);
    const again = restore(databasePath, [replicaUrl]);
    expect(again.code).toBe(2);
    expect(again.output).toContain('--force');
    expect(fs.readFileSync(databasePath).equals(before)).toBe(true);

    // The database as it was at the moment: everything before it, nothing after.
    const earlierPath = path.join(dir, 'earlier', 'news.db');
    const earlier = restore(earlierPath, [replicaUrl, '--timestamp', moment.toISOString()]);
    expect(earlier.code).toBe(0);
    const atMoment = subscribedEmails(earlierPath);
    const beforeMoment = acknowledged.filter(({ email }) => email.startsWith('before'));
    expect(beforeMoment).toHaveLength(20);
    expect(beforeMoment.filter(({ email }) => !atMoment.has(email))).toEqual([]);
    expect([...atMoment].filter((email) => email.startsWith('after'))).toEqual([]);

    // A moment before the replica began has nothing to restore: said plainly, nothing written.
    const tooEarly = restore(path.join(dir, 'none', 'news.db'), [replicaUrl, '--timestamp', '2001-01-01T00:00:00Z']);
    expect(tooEarly.code).toBe(1);
    expect(tooEarly.output).toContain('holds no copy');
    expect(fs.existsSync(path.join(dir, 'none', 'news.db'))).toBe(false);
  } finally {
    try {
      process.kill(-site.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}, 120_000);

test('npm run restore explains its arguments and refuses bad ones', () => {
  const target = path.join(dir, 'args', 'news.db');
  expect(restore(target, ['--help']).output).toContain('Usage: npm run restore');
  const badTime = restore(target, ['file:///nowhere', '--timestamp', 'yesterday']);
  expect(badTime.code).toBe(1);
  expect(badTime.output).toContain('ISO 8601');
  const badUrl = restore(target, ['http://example.com/replica']);
  expect(badUrl.code).toBe(1);
  expect(badUrl.output).toContain('REPLICA_URL must be');
  expect(fs.existsSync(target)).toBe(false);
});
