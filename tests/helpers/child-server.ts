import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { PACKAGE_ROOT } from '../../src/project-paths';

/** A free port on loopback, for a server started as a child process. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export type ChildServer = { child: ChildProcess; url: string; output: () => string; exited: Promise<number | null> };

/** Starts the built server (`node dist/src/server.js`, as `npm start` and the Dockerfile do). */
export async function startBuiltServer(env: Record<string, string>, timeoutMs = 30_000): Promise<ChildServer> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['dist/src/server.js'], {
    cwd: PACKAGE_ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) return { child, url, output: () => output, exited };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`The server did not become healthy:\n${output}`);
}

/**
 * The built server in production mode, one process, with a fresh database in a temporary folder
 * of its own (at `databaseIn` inside it); `stop` ends it and removes the folder.
 */
export async function startBuiltServerInTempDir(
  env: Record<string, string> = {},
  databaseIn = 'news.db',
): Promise<{ server: ChildServer; dir: string; stop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-site-child-'));
  const server = await startBuiltServer({
    NODE_ENV: 'production',
    DATABASE_PATH: path.join(dir, databaseIn),
    WEB_CONCURRENCY: '1',
    LOG_LEVEL: 'warn',
    ...env,
  });
  return {
    server,
    dir,
    stop: async () => {
      server.child.kill('SIGTERM');
      await server.exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs the built server and waits for it to exit on its own (for start-up failures). */
export function runBuiltServerToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(process.execPath, ['dist/src/server.js'], {
      cwd: PACKAGE_ROOT,
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The offer panel's form token, read from the seed article as a browser would. */
export async function panelToken(serverUrl: string): Promise<string> {
  const html = await (
    await fetch(`${serverUrl}/World/Asia-Pacific/2013/0629/Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step`)
  ).text();
  return /id="offer-panel-form"[\s\S]*?name="_csrf" value="([^"]+)"/.exec(html)![1]!;
}

/** Signs up through the offer panel as a same-origin browser at `clientIp` would; returns the response. */
export function panelSignup(serverUrl: string, csrf: string, email: string, clientIp: string): Promise<Response> {
  return fetch(`${serverUrl}/subscribe`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: serverUrl, 'x-forwarded-for': clientIp },
    body: new URLSearchParams({ _csrf: csrf, email, plan: 'digital', consent: 'yes', website: '', source: '/' }).toString(),
  });
}
