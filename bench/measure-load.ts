import autocannon from 'autocannon';
import fs from 'node:fs';

export type LoadResult = { requestsPerSecond: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number; peakRssMb: number };

/** Peak resident memory (VmHWM) of a process and its children, in MB, read from /proc. */
export function peakRssMb(pid: number): number {
  const pids = [pid, ...childPids(pid)];
  let total = 0;
  for (const p of pids) {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      if (match) total += Number(match[1]) / 1024;
    } catch {
      // the process is gone
    }
  }
  return Math.round(total);
}

/** Current resident memory (VmRSS) of a process and its children, in MB. */
export function currentRssMb(pid: number): number {
  let total = 0;
  for (const p of [pid, ...childPids(pid)]) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      if (match) total += Number(match[1]) / 1024;
    } catch {
      // the process is gone
    }
  }
  return Math.round(total);
}

function childPids(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * A bounded load run: `connections` keep-alive connections for `seconds`, after a warm-up that is
 * not counted. `paths` are requested in turn (one path, or a random article per request).
 */
export async function measureLoad(options: {
  url: string;
  paths: () => string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  serverPid: number;
  /** Request headers, e.g. a browser's Accept-Encoding. */
  headers?: Record<string, string>;
  /** Runs between the warm-up and the measured run (to read counters that only the latter moves). */
  afterWarmup?: () => void;
}): Promise<LoadResult> {
  const run = (duration: number) =>
    autocannon({
      url: options.url,
      connections: options.connections,
      duration,
      requests: [
        { setupRequest: (request) => ({ ...request, headers: { ...request.headers, ...options.headers }, path: options.paths() }) },
      ],
    });
  await run(options.warmupSeconds);
  options.afterWarmup?.();
  const result = await run(options.seconds);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    peakRssMb: peakRssMb(options.serverPid),
  };
}
