import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import { isEmptySite, seedDatabase } from '../../seed/seed-database';
import { createApp, PAGE_CACHE_TTL_MS } from '../../src/app';
import { PageCache } from '../../src/delivery/page-cache';
import { loadConfig, type Config } from '../../src/config';
import { migrate } from '../../src/db/migrate';
import { openDatabase, type Db } from '../../src/db/open-database';
import { createLogger } from '../../src/logger';
import { MailSender } from '../../src/mail/mail-sender';
import { PhotoStore } from '../../src/photos/photo-store';

// Photo files are named by the hash of their bytes, so test files can share one folder of them
// safely (writes are atomic renames) and skip re-encoding variants every time.
export const SHARED_TEST_PHOTOS_DIR = path.join(os.tmpdir(), 'news-site-test-photos');

/** A "now" after every seed story, so what is visible never depends on the calendar. */
export const TEST_NOW = new Date('2026-01-15T12:00:00Z');

/** The site's clock in tests: it starts at TEST_NOW and runs, so tokens and cache entries age as in life. */
export function runningClockFromTestNow(): () => Date {
  const startedAt = Date.now();
  return () => new Date(TEST_NOW.getTime() + (Date.now() - startedAt));
}

export type TestSite = {
  /** The whole site (front door and Express app), for supertest or http.createServer. */
  app: RequestListener;
  /** The site's one clock. */
  now: () => Date;
  /** The page cache of this site's worker. */
  pageCache: PageCache;
  db: Db;
  config: Config;
  dir: string;
  photoStore: PhotoStore;
  mailSender: MailSender;
  close: () => Promise<void>;
};

/** A fresh, migrated (and by default seeded) SQLite file in its own temporary folder. */
export async function createTestSite(
  options: {
    seed?: boolean;
    now?: () => Date;
    env?: Record<string, string>;
    pageCacheTtlMs?: number;
    /** The database and a photo folder of its own under `.local/share/news/`, as many operators keep data. */
    dataUnderDotFolder?: boolean;
    /** A logger of the test's own (to read what the site logs). */
    logger?: Logger;
    /** Stories per article sitemap file. */
    sitemapUrlsPerFile?: number;
  } = {},
): Promise<TestSite> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-site-test-'));
  const dataDir = options.dataUnderDotFolder ? path.join(dir, '.local', 'share', 'news') : dir;
  fs.mkdirSync(dataDir, { recursive: true });
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_PATH: path.join(dataDir, 'news.db'),
    PHOTOS_DIR: options.dataUnderDotFolder ? path.join(dataDir, 'photos') : SHARED_TEST_PHOTOS_DIR,
    SITE_URL: 'https://news.example',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const db = openDatabase(config.databasePath);
  migrate(db);
  const photoStore = new PhotoStore(config.photosDir);
  if (options.seed !== false && isEmptySite(db)) await seedDatabase(db, photoStore);
  const logger = options.logger ?? createLogger(config);
  const now = options.now ?? runningClockFromTestNow();
  const mailSender = new MailSender({ db, logger, smtpUrl: config.smtpUrl, from: config.mailFrom, now });
  const pageCache = new PageCache(config.pageCacheBytes, options.pageCacheTtlMs ?? PAGE_CACHE_TTL_MS);
  const app = createApp({ db, config, logger, now, mailSender, pageCache, sitemapUrlsPerFile: options.sitemapUrlsPerFile });
  return {
    app,
    now,
    pageCache,
    db,
    config,
    dir,
    photoStore,
    mailSender,
    close: async () => {
      await mailSender.stop();
      if (db.open) db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const SEED_ARTICLE_PATH = '/World/Asia-Pacific/2013/0629/Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step';
