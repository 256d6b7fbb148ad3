import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { PACKAGE_ROOT } from '../src/project-paths';

// Child processes of the benchmarks: the site as `npm start` runs it, and the baseline servers.

/**
 * Node's flags for the site, as `npm start` and the Dockerfile's CMD give them (a test keeps
 * the three the same), so that the benchmarks measure the site as it runs:
 * - `--max-semi-space-size=4` and `--max-old-space-size=128`: a small young generation, and an
 *   old generation capped at 128 MB (the README says why, under "Benchmarks").
 * - `--heap-growing-percent=100`: after a full collection, the old generation may double before
 *   the next one. Under that cap V8 otherwise let it grow by only about half, and a worker
 *   under a burst of searches ran a full collection every 0.6 s on its main thread and every
 *   1-1.5 s on each search thread, most of whose marking V8's helper threads do beside the
 *   searches (docs/scaling.md, 2026-12-08).
 */
export const SITE_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=128', '--heap-growing-percent=100'];

/**
 * Starts a child that prints its port on the first line of stdout (baselines), or, given a port,
 * waits for its /healthz (the site; `waitSeconds` covers a first start that migrates a large file).
 */
export async function startProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  port?: number,
  waitSeconds = 60,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  if (port === undefined) {
    const printed = await new Promise<string>((resolve) => child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())));
    return { child, url: `http://127.0.0.1:${printed}` };
  }
  child.stdout!.resume();
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < waitSeconds * 10; i += 1) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url };
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('The site did not start');
}

export const stopProcess = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM'))));

/**
 * Stores every story's render, as an operator does after a deploy (`npm run prerender`; only the
 * missing ones on a reused database). Returns its report line.
 */
export function prerenderStories(env: NodeJS.ProcessEnv): string {
  process.stderr.write('pre-rendering stories...\n');
  const prerender = spawnSync(process.execPath, ['dist/src/cli/prerender.js'], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (prerender.status !== 0) throw new Error('npm run prerender failed');
  return prerender.stdout.toString().trim();
}
