import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

// What `npm run edge` reads from the environment: where Varnish listens, the origin it fronts,
// its memory, the grace time, and the purge secret it shares with the site.

const port = z.coerce.number({ error: 'must be a port number' }).int().min(1).max(65535);

const schema = z.object({
  EDGE_PORT: port.default(8080),
  EDGE_HOST: z.string().min(1).default('127.0.0.1'),
  EDGE_ORIGIN: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, "must be the site's host:port, for example 127.0.0.1:3000")
    .default('127.0.0.1:3000'),
  EDGE_CACHE_MB: z.coerce.number().int().min(8).max(1_048_576).default(256),
  EDGE_GRACE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(6 * 3600),
  EDGE_PURGE_FROM: z.string().optional(),
  EDGE_WORK_DIR: z.string().min(1).optional(),
  CACHE_PURGE_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  VARNISHD: z.string().min(1).default('varnishd'),
});

export type EdgeConfig = {
  port: number;
  host: string;
  originHost: string;
  originPort: number;
  cacheMb: number;
  graceSeconds: number;
  purgers: string[];
  purgeSecret: string | undefined;
  workDir: string;
  varnishd: string;
};

export function loadEdgeConfig(env: NodeJS.ProcessEnv = process.env): EdgeConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new Error(
      `Invalid configuration:\n${parsed.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`).join('\n')}`,
    );
  }
  const c = parsed.data;
  const [originHost, originPort] = c.EDGE_ORIGIN.split(':') as [string, string];
  const extra = (c.EDGE_PURGE_FROM ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return {
    port: c.EDGE_PORT,
    host: c.EDGE_HOST,
    originHost,
    originPort: Number(originPort),
    cacheMb: c.EDGE_CACHE_MB,
    graceSeconds: c.EDGE_GRACE_SECONDS,
    purgers: [...new Set([originHost, ...extra])],
    purgeSecret: c.CACHE_PURGE_SECRET,
    // Varnish's working folder (-n): its own per port, readable by Varnish's unprivileged user.
    workDir: path.resolve(c.EDGE_WORK_DIR ?? path.join(os.tmpdir(), `news-edge-${c.EDGE_PORT}`)),
    varnishd: c.VARNISHD,
  };
}
