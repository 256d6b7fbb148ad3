// npm run search:optimize: merges the search indexes into one segment each (see
// search/search-index-maintenance.ts), after a large import and then now and then (weekly, from
// cron or a timer). Safe while the site runs: searches go on; story writes wait for each index.
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/open-database';
import { optimizeSearchIndexes, searchIndexSegments } from '../search/search-index-maintenance';
import { runCommand } from './run-command';

runCommand(async () => {
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  try {
    migrate(db);
    const before = searchIndexSegments(db);
    optimizeSearchIndexes(db, (table, seconds) => {
      console.log(`${table}: ${before[table]} segments merged into 1 in ${seconds.toFixed(1)} s`);
    });
  } finally {
    db.close();
  }
});
