import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { LITESTREAM_CONFIG, litestreamBinary, litestreamEnv, replicaHasSnapshots } from './litestream';

// `npm start` with REPLICA_URL set: the site runs as the child of `litestream replicate -exec`,
// which copies every WAL frame to the replica as it is written, passes SIGTERM/SIGINT to the
// site, and after the site has stopped sends what is left before it exits. This process only
// starts it, passes signals on and exits with its code.

/** Set in the site's environment under Litestream, so that it does not start Litestream again. */
export const UNDER_LITESTREAM = 'NEWS_UNDER_LITESTREAM';

const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

export async function runUnderLitestream(config: Config, logger: Logger): Promise<void> {
  const replicaUrl = config.replicaUrl!;
  // A lost disk: the replica has the site, the file is gone. Starting would seed an empty site
  // (and a new generation in the replica); the operator restores first.
  if (!fs.existsSync(config.databasePath)) {
    if (await replicaHasSnapshots(config.databasePath, replicaUrl)) {
      throw new Error(
        `The database file ${config.databasePath} does not exist, but the replica holds a copy of the site. Restore it first: npm run restore -- "$REPLICA_URL"`,
      );
    }
  }
  const command = [process.execPath, ...process.execArgv, process.argv[1]!].map(shellQuote).join(' ');
  const litestream = spawn(litestreamBinary(), ['replicate', '-config', LITESTREAM_CONFIG, '-exec', command], {
    // DATABASE_PATH made absolute, as the configuration file expands it.
    env: { ...litestreamEnv(config.databasePath, replicaUrl), [UNDER_LITESTREAM]: '1' },
    stdio: 'inherit',
  });
  logger.info({ pid: litestream.pid }, 'replicating the database with Litestream (REPLICA_URL)');
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => litestream.kill(signal));
  const code = await new Promise<number>((resolve, reject) => {
    litestream.on('error', (error) => reject(new Error(`Could not start Litestream: ${error.message}`)));
    litestream.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  process.exit(code);
}
