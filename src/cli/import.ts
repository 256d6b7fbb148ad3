// npm run import -- FILE: upserts articles from a JSON array or NDJSON file (see README).
import path from 'node:path';
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/open-database';
import { importArticles } from '../importing/article-importer';
import { readImportRecords } from '../importing/import-file-reader';
import { PhotoStore } from '../photos/photo-store';
import { runCommand } from './run-command';

runCommand(async () => {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) throw new Error('Usage: npm run import -- FILE.json|FILE.ndjson');
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  try {
    migrate(db);
    const report = await importArticles(db, new PhotoStore(config.photosDir), readImportRecords(file), {
      baseDir: path.dirname(path.resolve(file)),
      onProgress: (p) =>
        process.stderr.write(
          `\rread ${p.read}: ${p.inserted} added, ${p.updated} updated, ${p.unchanged} unchanged, ${p.rejected} rejected`,
        ),
    });
    process.stderr.write('\n');
    for (const rejection of report.rejected) console.error(`line ${rejection.line}: ${rejection.reason}`);
    console.log(`${report.inserted} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected.length} rejected.`);
    if (report.rejected.length > 0) process.exitCode = 2;
  } finally {
    db.close();
  }
});
