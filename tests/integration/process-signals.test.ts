import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, runBuiltServerToExit } from '../helpers/child-server';
import { PACKAGE_ROOT } from '../../src/project-paths';

// What an operator does to the process: stop `npm start` with SIGTERM (as systemd, Docker and a
// terminal do), or start it on a port that is taken. (Runs the built server; npm test builds it.)

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-site-signals-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const answers = (url: string) =>
  fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
    (res) => res.ok,
    () => false,
  );

test('SIGTERM to `npm start` stops the server and its workers, leaving nothing running', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  // --ignore-scripts skips prestart's build: npm test has built dist/ already, and other tests run it.
  const npm = spawn('npm', ['start', '--ignore-scripts'], {
    cwd: PACKAGE_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      PORT: String(port),
      DATABASE_PATH: path.join(dir, 'news.db'),
      WEB_CONCURRENCY: '2',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so that the test can clean up whatever it leaves
  });
  npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close', not 'exit': 'exit' can come before the last of its output has been read, and the
  // primary's last line ('all workers stopped') is what this test looks for.
  const exited = new Promise<number | null>((resolve) => npm.on('close', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 60_000;
    while (!(await answers(url))) {
      if (Date.now() > deadline || npm.exitCode !== null) throw new Error(`npm start did not start the site:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    npm.kill('SIGTERM'); // to npm alone, as a terminal's or a supervisor's stop does
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 20_000).unref())]);
    expect(code).not.toBe('still running');
    expect(output).toContain('all workers stopped');
    // Nothing is left listening on the port.
    expect(await answers(url)).toBe(false);
  } finally {
    try {
      process.kill(-npm.pid!, 'SIGKILL');
    } catch {
      // all gone, as it should be
    }
  }
}, 90_000);

test('a port in use stops start-up at once with one line that names it', async () => {
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as net.AddressInfo).port;
  try {
    const started = Date.now();
    const result = await runBuiltServerToExit({ PORT: String(port), DATABASE_PATH: path.join(dir, 'taken.db'), WEB_CONCURRENCY: '2' });
    expect(result.code).toBe(1);
    expect(result.output).toContain(`Port ${port} on 127.0.0.1 is in use by another program`);
    expect(result.output).not.toMatch(/^\s+at /m); // no stack trace
    expect(result.output).not.toContain('worker died');
    expect(Date.now() - started).toBeLessThan(10_000);
    // Nothing was created or migrated for a server that could not start.
    expect(fs.existsSync(path.join(dir, 'taken.db'))).toBe(false);
  } finally {
    taken.close();
  }
}, 30_000);

/** The built site with two workers, its stdout a pipe the test decides how to read. */
async function startSiteWithStdoutPipe(name: string) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const site = spawn(process.execPath, ['dist/src/server.js'], {
    cwd: PACKAGE_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      DATABASE_PATH: path.join(dir, `${name}.db`),
      WEB_CONCURRENCY: '2',
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  site.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  // Its exit code, or the signal that ended it.
  const exited = new Promise<number | string | null>((resolve) => site.on('exit', (code, signal) => resolve(code ?? signal)));
  const deadline = Date.now() + 60_000;
  while (!(await answers(url))) {
    if (Date.now() > deadline || site.exitCode !== null) throw new Error(`the site did not start:\n${errors}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const exitedWithin = (ms: number) =>
    Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running'), ms).unref())]);
  return { site, url, exitedWithin };
}

/** About 600 kB of request log lines: far more than a pipe and its reader's buffer hold. */
async function makeLogLines(url: string): Promise<void> {
  for (let batch = 0; batch < 60; batch += 1) {
    await Promise.all(Array.from({ length: 50 }, (_, i) => fetch(`${url}/no-such-page-${batch}-${i}`).then((res) => res.arrayBuffer())));
  }
}

test('a stdout that nobody reads holds up neither pages nor a stop', async () => {
  // A stalled log shipper: the pipe is never read, so it fills and stays full.
  const { site, url, exitedWithin } = await startSiteWithStdoutPipe('stalled-stdout');
  try {
    site.stdout!.pause();
    await makeLogLines(url);
    const started = Date.now();
    const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(5_000) });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    site.kill('SIGTERM');
    // Its last lines cannot be written: it ends by SIGTERM's own action rather than wait for them.
    expect([0, 'SIGTERM']).toContain(await exitedWithin(8_000));
    expect(await answers(url)).toBe(false);
  } finally {
    site.kill('SIGKILL');
  }
}, 90_000);

test('a stdout whose reader is gone (EPIPE) holds up neither pages nor a stop', async () => {
  const { site, url, exitedWithin } = await startSiteWithStdoutPipe('gone-stdout');
  try {
    site.stdout!.destroy();
    await makeLogLines(url);
    expect((await fetch(`${url}/`, { signal: AbortSignal.timeout(5_000) })).status).toBe(200);
    site.kill('SIGTERM');
    expect(await exitedWithin(8_000)).toBe(0);
  } finally {
    site.kill('SIGKILL');
  }
}, 90_000);

test('a second SIGTERM stops the site at once, without waiting for requests in flight', async () => {
  const { site, url, exitedWithin } = await startSiteWithStdoutPipe('second-signal');
  const { port } = new URL(url);
  // A request in flight for the whole shutdown deadline: a form post whose body never ends.
  const slow = net.connect(Number(port), '127.0.0.1');
  try {
    await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
    slow.on('error', () => {});
    slow.write(
      `POST /subscribe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    site.kill('SIGTERM');
    // The first signal waits for that request (up to 10 s) ...
    expect(await exitedWithin(1_500)).toBe('still running');
    site.kill('SIGTERM');
    // ... the second does not.
    expect(await exitedWithin(3_000)).toBe(1);
    expect(await answers(url)).toBe(false);
  } finally {
    slow.destroy();
    site.kill('SIGKILL');
  }
}, 90_000);
