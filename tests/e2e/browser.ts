import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startBuiltServer, type ChildServer } from '../helpers/child-server';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.join(__dirname, 'artifacts');

// Flags for Chromium here: no sandbox (root), and nothing that phones home (the network is closed).
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type BrowserSite = { server: ChildServer; browser: Browser; dir: string; databasePath: string; close: () => Promise<void> };

/**
 * The built server (as `npm start` runs it, in production mode, one process) on a free loopback
 * port with a freshly seeded database, and headless Debian Chromium driven by playwright-core.
 * The data lives under a dot folder (.local/share/news), where many operators keep it.
 */
export async function startBrowserSite(extraEnv: Record<string, string> = {}): Promise<BrowserSite> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not at ${CHROMIUM}: install it with "apt-get install -y chromium" (.ci/run does), or set CHROMIUM_PATH.`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-site-e2e-'));
  // In production mode, as readers get it: compiled templates, stored renders, the front door.
  const databasePath = path.join(dir, '.local', 'share', 'news', 'news.db');
  const env = { NODE_ENV: 'production', DATABASE_PATH: databasePath, WEB_CONCURRENCY: '1', LOG_LEVEL: 'warn', ...extraEnv };
  const server = await startBuiltServer(env);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  return {
    server,
    browser,
    dir,
    databasePath,
    close: async () => {
      await browser.close();
      server.child.kill('SIGTERM');
      await server.exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function newPage(
  site: BrowserSite,
  options: { width?: number; height?: number; bypassCSP?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await site.browser.newContext({
    baseURL: site.server.url,
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    bypassCSP: options.bypassCSP ?? false,
  });
  return { context, page: await context.newPage() };
}
