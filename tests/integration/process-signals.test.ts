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
  const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
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
