// npm run bench:newsroom-list: the newsroom's story list on the 100,000-story benchmark database
// (BENCH_DIR/BENCH_REUSE as `npm run bench`), on a copy migrated to the current schema: each
// filter's first page and its count, median of BENCH_RUNS (7) after one warm-up. The list runs on
// a worker's main thread, so every millisecond here is one its readers wait too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../src/db/migrate';
import { openDatabase } from '../src/db/open-database';
import { createNewsroomStoriesRepository, type StoryListFilter } from '../src/newsroom/newsroom-stories-repository';
import { ensureBenchDatabase } from './bench-database';
import { formatTable, percentile, round } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

async function main(): Promise<void> {
  const database = await ensureBenchDatabase();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'news-list-bench-'));
  const file = path.join(work, 'list.db');
  try {
    const source = new Database(database.databasePath, { readonly: true });
    await source.backup(file);
    source.close();
    const db = openDatabase(file);
    migrate(db);
    const stories = createNewsroomStoriesRepository(db);
    const now = new Date().toISOString();
    const word = (db.prepare('SELECT headline FROM articles WHERE id = 5000').pluck().get() as string).split(/\W+/)[0]!;
    const time = (run: () => unknown) => {
      run();
      const times = Array.from({ length: RUNS }, () => {
        const started = performance.now();
        run();
        return performance.now() - started;
      });
      return round(percentile(times, 50), 1);
    };
    const filters: [string, Omit<StoryListFilter, 'now'>][] = [
      ['every story', {}],
      ['drafts', { state: 'draft' }],
      ['scheduled', { state: 'scheduled' }],
      ['published', { state: 'published' }],
      ['one section', { sectionId: 1 }],
      [`headline "${word}"`, { headline: word }],
    ];
    const rows = filters.map(([label, filter]) => [
      label,
      String(stories.count({ ...filter, now })),
      String(time(() => stories.list({ ...filter, now }, 50, 0))),
      String(time(() => stories.count({ ...filter, now }))),
    ]);
    console.log(`Newsroom story list, ${db.prepare('SELECT count(*) FROM articles').pluck().get()} stories, median ms of ${RUNS}:`);
    for (const line of formatTable(['filter', 'stories', 'first page ms', 'count ms'], rows)) console.log(line);
    db.close();
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
