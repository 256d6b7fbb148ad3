import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/project-paths';
import { findResults } from '../../src/search/search-findings';
import { compileSearchQuery } from '../../src/search/search-query';
import { createSearchRepository } from '../../src/search/search-repository';
import { SearchBusyError, SearchThreads } from '../../src/search/search-threads';
import { capturedLog } from '../helpers/captured-log';
import { createTestSite, type TestSite } from '../helpers/test-site';

// The search pool with the real, built thread (npm test builds before jest runs): what it finds,
// how it copes with a thread that dies, and when it gives way to pages.
const THREAD_FILE = path.join(PACKAGE_ROOT, 'dist/src/search/search-thread.js');

let site: TestSite;
/** A pool of one search thread on `databasePath`, logging to `log`. */
const poolOn = (
  databasePath: string,
  log: ReturnType<typeof capturedLog>,
  options: { maxWaitMs?: number; mainThreadBusy?: () => boolean } = {},
) =>
  new SearchThreads({
    databasePath,
    threads: 1,
    queue: 4,
    maxWaitMs: options.maxWaitMs ?? 40,
    logger: log.logger,
    inline: createSearchRepository(site.db),
    threadFile: THREAD_FILE,
    mainThreadBusy: options.mainThreadBusy,
  });
const task = () => {
  const compiled = compileSearchQuery('korea');
  return {
    clauses: compiled.clauses,
    words: compiled.words,
    filters: { now: site.now().toISOString(), sectionIds: null, from: null, to: null },
    sort: 'relevance' as const,
    limit: 10,
    offset: 0,
  };
};

beforeAll(async () => {
  expect(fs.existsSync(THREAD_FILE)).toBe(true);
  site = await createTestSite();
});
afterAll(() => site?.close());

test('a search thread finds what the main thread finds', async () => {
  const search = createSearchRepository(site.db);
  const pool = poolOn(site.config.databasePath, capturedLog());
  try {
    expect(pool.threaded).toBe(true);
    const onThread = await pool.run(task());
    expect(onThread.hits.length).toBeGreaterThan(0);
    expect(onThread.hits.map((hit) => hit.id)).toEqual(findResults(search, task()).hits.map((hit) => hit.id));
  } finally {
    await pool.close();
  }
});

test('a thread that cannot open the database is restarted a few times, then search runs inline', async () => {
  const search = createSearchRepository(site.db);
  const captured = capturedLog();
  const pool = poolOn(path.join(site.dir, 'no-such-folder', 'news.db'), captured);
  try {
    // Wait until it has given up on threads: a bounded number of restarts, never a tight loop.
    const deadline = Date.now() + 15_000;
    while (!captured.text().includes('search threads keep dying') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const log = captured.text();
    expect(log).toContain('search threads keep dying; searching on the main thread');
    expect(log.split('starting another').length - 1).toBe(5);
    expect(pool.threaded).toBe(false);
    const inline = await pool.run(task());
    expect(inline.hits.map((hit) => hit.id)).toEqual(findResults(search, task()).hits.map((hit) => hit.id));
  } finally {
    await pool.close();
  }
}, 30_000);

test('while the main thread is busy, a thread takes one search at a time and the rest are refused at once', async () => {
  let mainThreadBusy = true;
  // Waits long enough to queue everything asked here, were it not for the busy main thread.
  const pool = poolOn(site.config.databasePath, capturedLog(), { maxWaitMs: 60_000, mainThreadBusy: () => mainThreadBusy });
  try {
    const outcome = (search: Promise<unknown>) =>
      search.then(
        () => 'answered',
        (error: unknown) => (error instanceof SearchBusyError ? 'refused' : `failed: ${String(error)}`),
      );
    expect(pool.full).toBe(false);
    const busy = [pool.run(task()), pool.run(task()), pool.run(task())].map(outcome);
    expect(pool.full).toBe(true);
    expect(await Promise.all(busy)).toEqual(['answered', 'refused', 'refused']);

    // Once it is not busy, the thread takes its usual share and more wait their turn.
    mainThreadBusy = false;
    expect(await Promise.all(Array.from({ length: 6 }, () => outcome(pool.run(task()))))).toEqual(Array(6).fill('answered'));
  } finally {
    await pool.close();
  }
});
