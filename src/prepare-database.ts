import fs from 'node:fs';
import type { Logger } from 'pino';
import { isEmptySite, seedDatabase } from '../seed/seed-database';
import type { Config } from './config';
import { openCheckedDatabase } from './db/check-database';
import { migrate } from './db/migrate';
import { deletePlannerSamples } from './db/planner-samples';
import { PhotoStore } from './photos/photo-store';

/**
 * Everything that must happen once before serving: check the file, migrate, seed an empty site.
 * The primary process does it before any worker starts.
 */
export async function prepareDatabase(config: Config, logger: Logger): Promise<void> {
  // The check reads every page: seconds for a large file in the OS cache, a minute or more from
  // disk (docs/operations.md). Said before it starts, so that a quiet start is not taken for a hang.
  const megabytes = fileMegabytes(config.databasePath);
  if (megabytes !== null) logger.info({ databasePath: config.databasePath, megabytes }, 'checking the database file; it is read in full');
  const started = Date.now();
  const db = openCheckedDatabase(config.databasePath, { replicated: config.replicaUrl !== undefined });
  logger.info({ databasePath: config.databasePath, checkMs: Date.now() - started }, 'opened the database');
  try {
    const applied = migrate(db);
    if (applied.length > 0) logger.info({ applied }, 'applied migrations');
    // Before any worker or search thread opens the file and reads the statistics (planner-samples.ts).
    const samples = deletePlannerSamples(db);
    if (samples > 0) logger.info({ samples }, 'deleted the query planner samples (sqlite_stat4) that ANALYZE left');
    if (isEmptySite(db)) {
      const report = await seedDatabase(db, new PhotoStore(config.photosDir));
      logger.info({ inserted: report.inserted }, 'seeded an empty database');
    }
    // Start from an empty WAL, unless Litestream replicates the file: then it alone checkpoints,
    // after it has copied the WAL (deploy/litestream.yml).
    if (config.replicaUrl === undefined) db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/** The file's size in MB, or null when there is no such file yet (or the path is not one: the check says why). */
function fileMegabytes(file: string): number | null {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() ? Math.round(stat.size / 1_000_000) : null;
  } catch {
    return null;
  }
}
