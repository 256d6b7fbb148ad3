// npm run bench:related: the related-stories lookup (listRelated) in an archive with broad topics.
//
// The generated corpus gives topics to few stories; a real archive has topics such as "Politics"
// or "Europe" on thousands. This copies the benchmark database (BENCH_DIR/BENCH_REUSE as `npm run
// bench`), gives every story two of BENCH_BROAD_TOPICS (8) broad topics at random (about 25,000
// stories each at 100,000), then times listRelated for BENCH_LOOKUPS (2,000) random stories and
// `npm run prerender` for the first BENCH_PRERENDER (5,000) stories. Prints the figures and writes
// bench/related-results.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createArticleRepository } from '../src/articles/articles-repository';
import { migrate } from '../src/db/migrate';
import { openDatabase } from '../src/db/open-database';
import { analyzeWithoutSamples } from '../src/db/planner-samples';
import { PACKAGE_ROOT } from '../src/project-paths';
import { ensureBenchDatabase } from './bench-database';
import { createRandom } from './generate-corpus';
import { percentile, round } from './stats';

const BROAD_TOPICS = Number(process.env.BENCH_BROAD_TOPICS ?? 8);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 2000);
const PRERENDER = Number(process.env.BENCH_PRERENDER ?? 5000);

async function main(): Promise<void> {
  const database = await ensureBenchDatabase();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'news-related-bench-'));
  const file = path.join(work, 'related.db');
  try {
    const source = new Database(database.databasePath, { readonly: true });
    await source.backup(file);
    source.close();
    const db = openDatabase(file);
    migrate(db);
    const random = createRandom(3);
    const ids = db.prepare("SELECT id FROM articles WHERE status = 'published'").pluck().all() as number[];
    // The copy's triggers on article_topics drop stored renders, move the content version and
    // queue purges on every link; the fixture's 200,000 links would take hours through them, and
    // none of that is measured here (every stored render is dropped below anyway).
    for (const trigger of db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'article_topics'")
      .pluck()
      .all() as string[]) {
      db.exec(`DROP TRIGGER "${trigger}"`);
    }
    db.transaction(() => {
      const topic = db.prepare('INSERT INTO topics (slug, name) VALUES (?, ?)');
      const broad = Array.from({ length: BROAD_TOPICS }, (_, i) => Number(topic.run(`broad-${i}`, `Broad topic ${i}`).lastInsertRowid));
      const give = db.prepare('INSERT OR IGNORE INTO article_topics (article_id, topic_id, position) VALUES (?, ?, 100)');
      for (const id of ids) {
        give.run(id, broad[Math.floor(random() * broad.length)]!);
        give.run(id, broad[Math.floor(random() * broad.length)]!);
      }
      // Every stored render is stale now: prerender below renders from scratch.
      db.exec('DELETE FROM article_renders');
    })();
    analyzeWithoutSamples(db);
    const perTopic = db.prepare('SELECT max(c) FROM (SELECT count(*) AS c FROM article_topics GROUP BY topic_id)').pluck().get() as number;

    const articles = createArticleRepository(db);
    const rows = db.prepare('SELECT id, section_id, published_at FROM articles WHERE id = ?');
    const now = new Date().toISOString();
    const timings: number[] = [];
    for (let i = 0; i < LOOKUPS; i += 1) {
      const article = rows.get(ids[Math.floor(random() * ids.length)]!) as { id: number; section_id: number; published_at: string };
      const started = performance.now();
      articles.listRelated(article, now);
      timings.push(performance.now() - started);
    }
    db.close();
    timings.sort((a, b) => a - b);
    const lookup = {
      lookups: LOOKUPS,
      p50Ms: round(percentile(timings, 50)),
      p99Ms: round(percentile(timings, 99)),
      maxMs: round(timings[timings.length - 1]!),
    };

    // npm run prerender on the copy, for its first PRERENDER stories.
    const started = performance.now();
    const prerender = spawnSync(process.execPath, ['dist/src/cli/prerender.js', '--limit', String(PRERENDER)], {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, DATABASE_PATH: file, PHOTOS_DIR: path.join(database.dir, 'photos'), NODE_ENV: 'production' },
      encoding: 'utf8',
    });
    if (prerender.status !== 0) throw new Error(`prerender failed: ${prerender.stderr}`);
    const seconds = (performance.now() - started) / 1000;
    const result = {
      date: new Date().toISOString(),
      articles: ids.length,
      broadTopics: BROAD_TOPICS,
      largestTopic: perTopic,
      listRelated: lookup,
      prerender: {
        stories: PRERENDER,
        seconds: Math.round(seconds * 10) / 10,
        perSecond: Math.round(PRERENDER / seconds),
        output: prerender.stdout.trim(),
      },
    };
    console.log(`${ids.length} stories; ${BROAD_TOPICS} broad topics, the largest on ${perTopic} stories`);
    console.log(`listRelated, ${LOOKUPS} random stories: p50 ${lookup.p50Ms} ms, p99 ${lookup.p99Ms} ms, max ${lookup.maxMs} ms`);
    console.log(`npm run prerender, ${PRERENDER} stories: ${result.prerender.seconds} s, ${result.prerender.perSecond} a second`);
    const out = path.join(PACKAGE_ROOT, 'bench', 'related-results.json');
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`Wrote ${out}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    if (!process.env.BENCH_DIR) fs.rmSync(database.dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
