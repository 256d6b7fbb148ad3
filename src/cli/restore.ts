// npm run restore -- REPLICA_URL [--timestamp T] [--force]: rebuilds DATABASE_PATH from a
// Litestream replica (src/replication/restore-database.ts). Run it with the site stopped.
import { z } from 'zod';
import { loadConfig } from '../config';
import { restoreDatabase, RestoreRefusedError } from '../replication/restore-database';
import { runCommand } from './run-command';

const USAGE = `Usage: npm run restore -- REPLICA_URL [--timestamp 2026-12-04T09:30:00Z] [--force]
  REPLICA_URL   the replica (file:///folder, s3://bucket/path, sftp://user@host/path); REPLICA_URL's value when left out
  --timestamp   the database as it was at that moment (ISO 8601, with a time zone); the latest when left out
  --force       replace an existing database file (it is kept beside, renamed)
Writes DATABASE_PATH (./data/news.db by default).`;

const argsSchema = z.object({
  replicaUrl: z.string().regex(/^(file|s3|sftp|gcs|abs):\/\/./, 'REPLICA_URL must be a file://, s3://, sftp://, gcs:// or abs:// address'),
  timestamp: z.iso
    .datetime({ offset: true, error: '--timestamp must be an ISO 8601 time with a time zone, for example 2026-12-04T09:30:00Z' })
    .transform((value) => new Date(value))
    .optional(),
  force: z.boolean(),
});

function parseArgs(argv: readonly string[]): z.infer<typeof argsSchema> | 'help' {
  const positional: string[] = [];
  let timestamp: string | undefined;
  let force = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--force') force = true;
    else if (arg === '--timestamp') timestamp = argv[++i] ?? '';
    else if (arg.startsWith('--timestamp=')) timestamp = arg.slice('--timestamp='.length);
    else if (arg.startsWith('-')) throw new Error(`Unknown option ${arg}\n${USAGE}`);
    else positional.push(arg);
  }
  if (positional.length > 1) throw new Error(`One replica address, please.\n${USAGE}`);
  const replicaUrl = positional[0] ?? process.env.REPLICA_URL ?? '';
  if (!replicaUrl) throw new Error(`Name the replica.\n${USAGE}`);
  const parsed = argsSchema.safeParse({ replicaUrl, timestamp, force });
  if (!parsed.success) throw new Error(`${parsed.error.issues.map((issue) => issue.message).join('\n')}\n${USAGE}`);
  return parsed.data;
}

runCommand(async () => {
  const args = parseArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  try {
    const report = await restoreDatabase({ ...args, target: config.databasePath });
    console.log(
      `Restored ${report.target} from the replica${args.timestamp ? ` as it was at ${args.timestamp.toISOString()}` : ''} in ${(report.elapsedMs / 1000).toFixed(1)} s: ` +
        `integrity ok, ${report.articles} stories, ${report.subscriptions} subscriptions.` +
        (report.pendingMigrations > 0 ? ` npm start will apply ${report.pendingMigrations} newer migrations.` : '') +
        (report.keptAs ? `\nThe file that was there is kept as ${report.keptAs}.` : ''),
    );
  } catch (error) {
    if (error instanceof RestoreRefusedError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
});
