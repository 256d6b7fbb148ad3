import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../src/db/migrate';
import { openDatabase } from '../src/db/open-database';
import { analyzeWithoutSamples, deletePlannerSamples } from '../src/db/planner-samples';
import { optimizeSearchIndexes, searchIndexSegments } from '../src/search/search-index-maintenance';
import { generateCorpus, PhotoStore } from './generate-corpus';

export const BENCH_ARTICLES = Number(process.env.BENCH_ARTICLES ?? 100_000);

/**
 * The benchmark database: BENCH_ARTICLES generated stories on top of the seed site, in BENCH_DIR
 * (a temporary folder by default). With BENCH_REUSE=1 a database built by an earlier run is kept.
 */
export async function ensureBenchDatabase(): Promise<{ dir: string; databasePath: string; built: boolean; buildSeconds: number }> {
  const dir = process.env.BENCH_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'news-bench-'));
  fs.mkdirSync(dir, { recursive: true });
  const databasePath = path.join(dir, 'bench.db');
  const reuse = process.env.BENCH_REUSE === '1';
  if (!reuse) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(databasePath + suffix, { force: true });
  const db = openDatabase(databasePath);
  try {
    migrate(db);
    const count = db.prepare('SELECT count(*) FROM articles').pluck().get() as number;
    if (reuse && count > BENCH_ARTICLES) {
      mergeSearchIndexes(db);
      // A database built before the samples were deleted after ANALYZE (planner-samples.ts).
      deletePlannerSamples(db);
      return { dir, databasePath, built: false, buildSeconds: NaN };
    }
    const started = performance.now();
    await generateCorpus(db, new PhotoStore(path.join(dir, 'photos')), BENCH_ARTICLES, (done) => {
      if (done % 10_000 === 0) process.stderr.write(`\rgenerated ${done} articles`);
    });
    process.stderr.write('\n');
    mergeSearchIndexes(db);
    db.pragma('wal_checkpoint(TRUNCATE)');
    analyzeWithoutSamples(db);
    return { dir, databasePath, built: true, buildSeconds: (performance.now() - started) / 1000 };
  } finally {
    db.close();
  }
}

/** As an operator does after a large import (`npm run search:optimize`); a no-op when merged already. */
function mergeSearchIndexes(db: ReturnType<typeof openDatabase>): void {
  if (Object.values(searchIndexSegments(db)).every((segments) => segments <= 1)) return;
  process.stderr.write('merging the search indexes (npm run search:optimize)...\n');
  optimizeSearchIndexes(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
}
