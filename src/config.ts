import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

// Every setting the server reads from the environment, checked once at start-up so that a typo in
// a deployment stops the server with a message naming the variable instead of failing later.
const port = z.coerce
  .number({ error: 'must be a port number from 0 to 65535' })
  .int('must be a port number from 0 to 65535')
  .min(0, 'must be a port number from 0 to 65535')
  .max(65535, 'must be a port number from 0 to 65535');
const PROXY_ITEM = /^(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?)$/;
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
// pino's numbers for its levels, which operators also know them by.
const LOG_LEVEL_NUMBERS: Record<string, (typeof logLevels)[number]> = {
  60: 'fatal',
  50: 'error',
  40: 'warn',
  30: 'info',
  20: 'debug',
  10: 'trace',
};

/** Values shown in messages, with an example of a good one; secrets and credentials are never echoed. */
const EXAMPLES: Record<string, string> = {
  PORT: '3000',
  HOST: '0.0.0.0',
  DATABASE_PATH: '/var/lib/news/news.db',
  SITE_URL: 'https://news.example.com',
  LOG_LEVEL: 'info',
  NODE_ENV: 'production',
  WEB_CONCURRENCY: '2',
  PAGE_CACHE_MB: '16',
  PHOTO_UPLOAD_MB: '20',
  PHOTO_MAX_MEGAPIXELS: '50',
  SEARCH_THREADS: '1',
  SEARCH_QUEUE: '64',
  SEARCH_MAX_WAIT_MS: '15',
  SEARCH_YIELD_AT: '0.9',
  SEARCH_REFUSAL_PAUSE_MS: '15',
  SEARCH_REFUSAL_MAX_PAUSE_MS: '50',
  TRUST_PROXY: 'loopback',
  CACHE_PURGE_URLS: 'http://10.0.0.5:8080,http://10.0.0.6:8080',
  REPLICA_URL: 's3://news-backups/news.db',
  NEWSLETTER_RATE: '50',
  NEWSLETTER_CONNECTIONS: '4',
  NEWSLETTER_TRACKING: 'off',
};
const SECRET = new Set(['SECRET_KEY', 'SMTP_URL', 'CACHE_PURGE_SECRET', 'REPLICA_URL']);
const REPLICA_SCHEMES = /^(file|s3|sftp|gcs|abs):\/\//;

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: port.default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_PATH: z
      .string()
      .min(1)
      .default('./data/news.db')
      .refine(
        (value) => value !== ':memory:' && !value.startsWith('file:'),
        'must name a file: an in-memory database is not shared by the workers and loses everything at a restart',
      ),
    PHOTOS_DIR: z.string().min(1).optional(),
    SITE_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' })
      .refine((value) => {
        if (!URL.canParse(value)) return true; // already refused as not an address
        const url = new URL(value);
        return (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash;
      }, "must be the site's origin alone, with no path, query or fragment: the site is served from the root of its host")
      .optional()
      .transform((value) => value?.replace(/\/+$/, '')),
    SITE_NAME: z.string().min(1).default('The Monitor'),
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    MAIL_FROM: z.string().min(3).default('The Monitor <newsletters@localhost>'),
    LOG_LEVEL: z.preprocess(
      (value) => (typeof value === 'string' && value in LOG_LEVEL_NUMBERS ? LOG_LEVEL_NUMBERS[value] : value),
      z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')} (or pino's 10 to 60)` }).default('info'),
    ),
    // Signs form tokens and unsubscribe links. When unset, one is generated and kept in the database.
    SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    // Worker processes for `npm start` (node:cluster); 1 runs a single process. Default: one per core.
    WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
    // Memory for each worker's cache of rendered pages, in MB (0 turns it off).
    // Unset: 16, or 0 in development, where an edited template must show on the next request.
    PAGE_CACHE_MB: z.coerce.number().int().min(0).max(4096).optional(),
    PHOTO_UPLOAD_MB: z.coerce.number().int().min(1).max(200).default(20),
    PHOTO_MAX_MEGAPIXELS: z.coerce.number().int().min(1).max(500).default(50),
    SEARCH_THREADS: z.coerce.number().int().min(0).max(16).optional(),
    SEARCH_QUEUE: z.coerce.number().int().min(0).max(1000).default(64),
    SEARCH_MAX_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(15),
    // The main thread counts as busy past this share of its time (event-loop utilization): searches
    // then go to threads one at a time and never wait (search-threads.ts). 1: never.
    SEARCH_YIELD_AT: z.coerce.number().min(0).max(1).default(0.9),
    SEARCH_REFUSAL_PAUSE_MS: z.coerce.number().int().min(0).max(5_000).default(15),
    SEARCH_REFUSAL_MAX_PAUSE_MS: z.coerce.number().int().min(0).max(5_000).default(50),
    // Slow clients: how long a request's headers, and the whole request, may take to arrive.
    HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    // Which proxies may set X-Forwarded-For: a hop count or addresses/subnets ("loopback, 10.0.0.0/8").
    // Never a blanket "true": then any client could choose the address its rate limits count against.
    TRUST_PROXY: z
      .string()
      .refine(
        (value) => /^\d{1,2}$/.test(value) || value.split(',').every((item) => PROXY_ITEM.test(item.trim())),
        'must be a number of hops or a comma-separated list of addresses, subnets, "loopback", "linklocal" or "uniquelocal"',
      )
      .optional(),
    // Cache nodes (Varnish with xkey) that the site sends soft purges to after every change.
    CACHE_PURGE_URLS: z
      .string()
      .refine(
        (value) => value.split(',').every((item) => /^https?:\/\/[^/?#]+\/?$/.test(item.trim())),
        'must be a comma-separated list of http:// base addresses of cache nodes, with no path',
      )
      .optional(),
    CACHE_PURGE_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    // The weekly review's sending: at most this many mails a second, over this many pooled SMTP
    // connections; and whether its links carry utm_ parameters (nothing is tracked unless "on").
    NEWSLETTER_RATE: z.coerce.number().int().min(1).max(10_000).default(50),
    NEWSLETTER_CONNECTIONS: z.coerce.number().int().min(1).max(32).default(4),
    NEWSLETTER_TRACKING: z.enum(['on', 'off'], { error: 'must be on or off' }).default('off'),
    // Where Litestream replicates the database (file://, s3://, sftp://, gcs://, abs://).
    REPLICA_URL: z.string().regex(REPLICA_SCHEMES, 'must be a file://, s3://, sftp://, gcs:// or abs:// address').optional(),
  })
  .refine((env) => !env.CACHE_PURGE_URLS || env.CACHE_PURGE_SECRET, {
    path: ['CACHE_PURGE_SECRET'],
    message: 'must be set when CACHE_PURGE_URLS is: cache nodes refuse purges without the shared secret',
  });

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databasePath: string;
  photosDir: string;
  siteUrl: string;
  siteName: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: (typeof logLevels)[number];
  secretKey: string | undefined;
  /** For Express's "trust proxy": false, a hop count, or a list of trusted addresses. */
  trustProxy: false | number | string;
  workers: number;
  pageCacheBytes: number;
  /** The largest photo file the newsroom takes, and the most pixels it may decode to. */
  photoUploadBytes: number;
  photoMaxPixels: number;
  /** Search threads per worker process (0: searches run on the main thread), and how many searches may wait for one. */
  searchThreads: number;
  searchQueue: number;
  searchMaxWaitMs: number;
  /** The main thread's event-loop utilization above which searches give way to pages (1: never). */
  searchYieldAt: number;
  /**
   * How long a connection refused a search waits before its next request is read (0: not at all),
   * doubling for each refusal in a row on it up to the longest pause (search-refusal.ts).
   */
  searchRefusalPauseMs: number;
  searchRefusalMaxPauseMs: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Base addresses of the cache nodes to purge (none: nothing is purged), and the secret they check. */
  cachePurgeUrls: readonly string[];
  cachePurgeSecret: string | undefined;
  /** Set when Litestream replicates the database: it, not SQLite, then checkpoints the WAL. */
  replicaUrl: string | undefined;
  /** The weekly review's sending rate (mails a second) and pooled SMTP connections; utm_ parameters on its links. */
  newsletterRate: number;
  newsletterConnections: number;
  newsletterTracking: boolean;
}>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Search threads per worker when SEARCH_THREADS is not set: the machine's cores shared among the
 * workers, at least one each. One worker on two cores gets two: measured on the bench with one
 * worker and a burst of distinct searches, the second thread answered 20-50 % more of them, and,
 * at the lowest priority (search-threads.ts), left the pages beside them as quick
 * (docs/scaling.md). A worker per core gets one each, as before.
 */
export function searchThreadsPerWorker(workers: number, cores = os.availableParallelism()): number {
  return Math.max(1, Math.round(cores / workers));
}

/** Reads the environment (empty strings count as unset) into a frozen, typed config. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const value = present[name];
        const got = value === undefined || SECRET.has(name) ? '' : ` (got ${JSON.stringify(value.slice(0, 100))}`;
        const example = EXAMPLES[name] ? `${got ? '; ' : ' ('}for example ${name}=${EXAMPLES[name]})` : got ? ')' : '';
        return `${name}: ${issue.message}${got}${example}`;
      }),
    );
  }
  const c = parsed.data;
  const databasePath = path.resolve(expandHome(c.DATABASE_PATH));
  const workers = c.WEB_CONCURRENCY ?? os.availableParallelism();
  return Object.freeze({
    env: c.NODE_ENV,
    port: c.PORT,
    host: c.HOST,
    databasePath,
    photosDir: path.resolve(c.PHOTOS_DIR ? expandHome(c.PHOTOS_DIR) : path.join(path.dirname(databasePath), 'photos')),
    siteUrl: c.SITE_URL ?? `http://${c.HOST.includes(':') ? `[${c.HOST}]` : c.HOST}:${c.PORT}`,
    siteName: c.SITE_NAME,
    smtpUrl: c.SMTP_URL,
    mailFrom: c.MAIL_FROM,
    logLevel: c.LOG_LEVEL,
    secretKey: c.SECRET_KEY,
    workers,
    photoUploadBytes: c.PHOTO_UPLOAD_MB * 1024 * 1024,
    photoMaxPixels: c.PHOTO_MAX_MEGAPIXELS * 1_000_000,
    pageCacheBytes: (c.PAGE_CACHE_MB ?? (c.NODE_ENV === 'development' ? 0 : 16)) * 1024 * 1024,
    searchThreads: c.SEARCH_THREADS ?? searchThreadsPerWorker(workers),
    searchQueue: c.SEARCH_QUEUE,
    searchMaxWaitMs: c.SEARCH_MAX_WAIT_MS,
    searchYieldAt: c.SEARCH_YIELD_AT,
    searchRefusalPauseMs: c.SEARCH_REFUSAL_PAUSE_MS,
    // Never shorter than the first pause.
    searchRefusalMaxPauseMs: Math.max(c.SEARCH_REFUSAL_MAX_PAUSE_MS, c.SEARCH_REFUSAL_PAUSE_MS),
    headersTimeoutMs: c.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: Math.max(c.REQUEST_TIMEOUT_MS, c.HEADERS_TIMEOUT_MS + 1),
    cachePurgeUrls: c.CACHE_PURGE_URLS ? c.CACHE_PURGE_URLS.split(',').map((item) => item.trim().replace(/\/$/, '')) : [],
    cachePurgeSecret: c.CACHE_PURGE_SECRET,
    replicaUrl: c.REPLICA_URL,
    newsletterRate: c.NEWSLETTER_RATE,
    newsletterConnections: c.NEWSLETTER_CONNECTIONS,
    newsletterTracking: c.NEWSLETTER_TRACKING === 'on',
    trustProxy: c.TRUST_PROXY === undefined ? false : /^\d+$/.test(c.TRUST_PROXY) ? Number(c.TRUST_PROXY) : c.TRUST_PROXY,
  });
}

/** "~/x" as a shell would read it: a path in the home folder (a folder literally named "~" is never meant). */
function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') ? path.join(os.homedir(), file.slice(1)) : file;
}
