// npm run migrate: applies pending migrations to DATABASE_PATH and says which.
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/open-database';
import { runCommand } from './run-command';

runCommand(async () => {
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  try {
    const applied = migrate(db);
    console.log(applied.length > 0 ? `Applied ${applied.join(', ')}` : 'The database is up to date.');
  } finally {
    db.close();
  }
});
