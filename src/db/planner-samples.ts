import type { Db } from './open-database';

// `ANALYZE` (run by an operator, or by `PRAGMA optimize`) writes two kinds of statistics: one row
// per index in sqlite_stat1 (how many rows, how selective), which the query planner reads once,
// and, with the SQLITE_ENABLE_STAT4 build that better-sqlite3 ships, samples of each index's keys
// in sqlite_stat4. With samples, SQLite plans a statement again each time one of its parameters
// that constrains a sampled index is bound, to pick a plan for that value. Every statement here is
// prepared once and bound many times, and FTS5 looks up each searched word through a statement of
// its own on its `_idx` table (`segid = ? AND term <= ?`): with samples, every word of every search
// was planned afresh. Profiled on the 100,000-story bench under distinct searches, that re-planning
// took 8 % of the search threads' time (`sqlite3Reprepare` under FTS5's segment reads).
//
// So the samples are deleted, and stat1 is kept. The site does it at start, before any connection
// that serves readers opens (connections read the statistics when they first load the schema).

/** Deletes the sqlite_stat4 samples, if there are any; keeps sqlite_stat1. Returns how many were deleted. */
export function deletePlannerSamples(db: Db): number {
  const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat4'").get();
  if (!exists) return 0;
  return db.prepare('DELETE FROM sqlite_stat4').run().changes;
}

/** ANALYZE, keeping only the statistics that do not make statements be planned again (above). */
export function analyzeWithoutSamples(db: Db): void {
  db.transaction(() => {
    db.exec('ANALYZE');
    deletePlannerSamples(db);
  }).immediate();
}
