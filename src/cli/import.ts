// npm run import -- FILE [--dry-run]: upserts articles from a JSON array or NDJSON file (see README).
import path from 'node:path';
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/open-database';
import { importArticles, type ImportProgress } from '../importing/article-importer';
import { readImportRecords } from '../importing/import-file-reader';
import { PhotoStore } from '../photos/photo-store';
import { runCommand } from './run-command';

const USAGE = `Usage: npm run import -- FILE.json|FILE.ndjson [--dry-run]
  Adds or updates the stories in FILE (a JSON array, or one JSON object a line), matched by section and slug.
  --dry-run   check every record and say what would be added or updated; write nothing
Rejected records are listed with their line and reason; the exit code is then 2. Ctrl-C stops after
the records read so far, which are kept. The record format is in the README ("Importing articles").`;

/** Exit code after Ctrl-C, as shells report a command ended by SIGINT. */
const EXIT_INTERRUPTED = 130;

const summary = (p: Pick<ImportProgress, 'inserted' | 'updated' | 'unchanged' | 'rejected'>, dryRun: boolean) =>
  dryRun
    ? `${p.inserted} would be added, ${p.updated} would be updated (or are unchanged), ${p.rejected} rejected`
    : `${p.inserted} added, ${p.updated} updated, ${p.unchanged} unchanged, ${p.rejected} rejected`;

runCommand(async () => {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const dryRun = args.includes('--dry-run');
  const unknown = args.filter((arg) => arg.startsWith('-') && arg !== '--dry-run');
  const files = args.filter((arg) => !arg.startsWith('-'));
  if (unknown.length > 0) throw new Error(`Unknown option ${unknown.join(', ')}\n${USAGE}`);
  if (files.length !== 1) throw new Error(USAGE);
  const file = files[0]!;
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  // Ctrl-C: finish the batch in hand, keep what was read, say where it stopped.
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  // On a terminal one line that updates itself; into a file or a pipe, a line every 1,000 records.
  const onTerminal = process.stderr.isTTY === true;
  let lastPrinted = 0;
  try {
    migrate(db);
    const report = await importArticles(db, new PhotoStore(config.photosDir), readImportRecords(file), {
      baseDir: path.dirname(path.resolve(file)),
      dryRun,
      signal: stop.signal,
      onProgress: (p) => {
        if (onTerminal) process.stderr.write(`\rread ${p.read}: ${summary(p, dryRun)}`);
        else if (p.read - lastPrinted >= 1000) {
          lastPrinted = p.read;
          process.stderr.write(`read ${p.read}: ${summary(p, dryRun)}\n`);
        }
      },
    });
    if (onTerminal) process.stderr.write('\n');
    for (const rejection of report.rejected) console.error(`line ${rejection.line}: ${rejection.reason}`);
    const counts = { ...report, rejected: report.rejected.length };
    if (report.interrupted) {
      console.log(
        `Interrupted after ${report.read} records: ${summary(counts, dryRun)}. Run the same command again to go on: what was imported is skipped as unchanged.`,
      );
      process.exitCode = EXIT_INTERRUPTED;
      return;
    }
    console.log(`${dryRun ? 'Dry run, nothing written: ' : ''}${summary(counts, dryRun)}.`);
    if (report.rejected.length > 0) process.exitCode = 2;
  } finally {
    db.close();
  }
});
