// npm run seed: loads the seed site into DATABASE_PATH (migrating first). Safe to run again.
import { seedDatabase } from '../../seed/seed-database';
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/open-database';
import { PhotoStore } from '../photos/photo-store';
import { runCommand } from './run-command';

runCommand(async () => {
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  try {
    migrate(db);
    const report = await seedDatabase(db, new PhotoStore(config.photosDir));
    console.log(`Seed articles: ${report.inserted} added, ${report.updated} updated, ${report.unchanged} unchanged.`);
  } finally {
    db.close();
  }
});
