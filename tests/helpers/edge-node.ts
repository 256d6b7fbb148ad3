import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/project-paths';

// A real varnishd in front of a test's server, started the way an operator does: `npm run edge`
// (the built dist/src/cli/edge.js), on its own port and in its own working folder.

export type EdgeNode = { url: string; port: number; output: () => string; stop: () => Promise<void> };

export async function startEdgeNode(options: { port: number; origin: string; secret?: string; graceSeconds?: number }): Promise<EdgeNode> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'news-edge-test-'));
  fs.chmodSync(parent, 0o755); // Varnish's own users read the VCL and compile into it
  const workDir = path.join(parent, 'edge');
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['dist/src/cli/edge.js'], {
    cwd: PACKAGE_ROOT,
    env: {
      PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin`,
      EDGE_PORT: String(options.port),
      EDGE_ORIGIN: options.origin,
      EDGE_WORK_DIR: workDir,
      EDGE_CACHE_MB: '32',
      ...(options.secret ? { CACHE_PURGE_SECRET: options.secret } : {}),
      ...(options.graceSeconds !== undefined ? { EDGE_GRACE_SECONDS: String(options.graceSeconds) } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = `http://127.0.0.1:${options.port}`;

  const stop = async (): Promise<void> => {
    // Stop this varnishd by its own process id; the npm run edge process then ends with it.
    const pidFile = path.join(workDir, 'varnishd.pid');
    if (fs.existsSync(pidFile)) {
      try {
        process.kill(Number(fs.readFileSync(pidFile, 'utf8').trim()), 'SIGTERM');
      } catch {
        // already gone
      }
    }
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.rmSync(parent, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(`${url}/healthz`);
      await response.arrayBuffer();
      if (response.status === 200) return { url, port: options.port, output: () => output, stop };
    } catch {
      // varnishd is still compiling its VCL
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`Varnish did not start:\n${output}`);
}

export type EdgeAnswer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/**
 * One request with node:http, so a test controls every header (fetch adds its own) and the
 * address it comes from (`localAddress`, any of 127.0.0.0/8).
 */
export function edgeRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<EdgeAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers ?? {}, localAddress: options.localAddress, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.setTimeout(10_000, () => request.destroy(new Error(`no answer from ${url}`)));
    request.end(options.body);
  });
}
