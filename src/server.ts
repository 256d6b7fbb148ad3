import cluster from 'node:cluster';
import { ConfigError, loadConfig, type Config } from './config';
import { systemClock } from './clock';
import { openDatabase } from './db/open-database';
import { CachePurger } from './edge/cache-purger';
import { startEdgeSync, type EdgeSync } from './edge/edge-sync';
import { FormTokens } from './http/form-tokens';
import { NewsletterSender } from './newsletters/newsletter-sender';
import { loadOrCreateSecret } from './site/settings-repository';
import { runHttpWorker, SHUTDOWN_DEADLINE_MS } from './http-worker';
import { checkPortFree, EXIT_CANNOT_LISTEN } from './http/port-check';
import { exitAfterLogs } from './log-output';
import { createLogger } from './logger';
import type { Logger } from 'pino';
import { prepareDatabase } from './prepare-database';
import { runUnderLitestream, UNDER_LITESTREAM } from './replication/run-under-litestream';

// Start-up: configuration → database check, migrations and first-run seed (once, in the primary)
// → one HTTP worker per core (node:cluster; WEB_CONCURRENCY=1 serves from this process). Workers
// share the SQLite file in WAL mode; rate limits and the mail outbox live in it, so they hold
// across workers. The primary replaces a worker that dies and passes SIGTERM/SIGINT on. It also
// runs the edge sync (src/edge/): scheduled stories go live on time, and cache nodes are purged;
// and the weekly review's sender (src/newsletters/), which resumes an interrupted send.
// With REPLICA_URL set, all of this runs under Litestream, which replicates the database.

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function runPrimary(config: Config): Promise<void> {
  const logger = createLogger(config);
  // With REPLICA_URL, the site runs again as Litestream's child (src/replication/).
  if (config.replicaUrl !== undefined && !process.env[UNDER_LITESTREAM]) return runUnderLitestream(config, logger);
  // A port in use is said once, plainly, before anything is started.
  await checkPortFree(config.host, config.port);
  await prepareDatabase(config, logger);
  if (config.env === 'production' && !config.smtpUrl) {
    // Readers would sign up and never get their confirmation mail: say so loudly, once.
    logger.warn(
      'SMTP_URL is not set: NO MAIL WILL BE SENT. Confirmation and welcome mails are kept in the database (mail_outbox); set SMTP_URL to send them.',
    );
  }
  const edgeSync = startPrimaryEdgeSync(config, logger);
  if (config.workers === 1) return runHttpWorker(config, logger, () => edgeSync.stop());

  let stopping = false;
  const recentDeaths: number[] = [];
  const fork = () => cluster.fork();
  // Node removes a worker from cluster.workers once it has both exited and disconnected, in either
  // order: at the last worker's 'exit' it may still be listed. Counting those not dead says
  // whether this was the last, whichever came first.
  const noWorkerLeft = () => Object.values(cluster.workers ?? {}).every((worker) => worker === undefined || worker.isDead());
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (noWorkerLeft()) {
        logger.info('all workers stopped');
        void edgeSync.stop().finally(() => exitAfterLogs(Number(process.exitCode ?? 0)));
      }
      return;
    }
    if (code === EXIT_CANNOT_LISTEN) {
      // It said why (the port was taken after the check); another worker would say it again.
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      process.exitCode = 1;
      if (noWorkerLeft()) void edgeSync.stop().finally(() => exitAfterLogs(1));
      return;
    }
    logger.error({ workerPid: worker.process.pid, code, signal }, 'worker died; starting another');
    // A worker that keeps dying at start-up is a broken deploy, not bad luck: give up.
    const now = Date.now();
    recentDeaths.push(now);
    while (recentDeaths[0]! < now - 60_000) recentDeaths.shift();
    if (recentDeaths.length > config.workers * 5) {
      logger.fatal('workers keep dying; stopping');
      return exitAfterLogs(1);
    }
    fork();
  });
  for (let i = 0; i < config.workers; i += 1) fork();
  logger.info({ workers: config.workers }, 'started workers');

  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      // Asked again (a second Ctrl-C, a supervisor's repeat): stop waiting for the workers.
      logger.warn({ signal }, 'second signal: killing workers and exiting now');
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      return exitAfterLogs(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping workers');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    // Workers finish their requests within SHUTDOWN_DEADLINE_MS; one that has not exited a few
    // seconds after that is hung, and is killed, so that a stop always ends.
    const deadline = setTimeout(() => {
      const hung = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
      logger.error({ workers: hung.map((worker) => worker.process.pid) }, 'workers did not stop in time; killing them');
      for (const worker of hung) worker.process.kill('SIGKILL');
      process.exitCode = 1;
    }, SHUTDOWN_DEADLINE_MS + 5_000);
    deadline.unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/**
 * What runs once per site, in the primary, on a connection of its own: the edge sync and the
 * weekly review's sender. Closed when they stop.
 */
function startPrimaryEdgeSync(config: Config, logger: Logger): Pick<EdgeSync, 'stop'> {
  const db = openDatabase(config.databasePath, { replicated: config.replicaUrl !== undefined });
  const purger = new CachePurger({ nodes: config.cachePurgeUrls, secret: config.cachePurgeSecret ?? '', logger });
  if (purger.enabled) logger.info({ nodes: config.cachePurgeUrls }, 'purging cache nodes after every change');
  const sync = startEdgeSync({ db, purger, logger, now: systemClock });
  const newsletters = new NewsletterSender({
    db,
    logger,
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    site: { siteName: config.siteName, siteUrl: config.siteUrl, tracking: config.newsletterTracking },
    tokens: new FormTokens(loadOrCreateSecret(db, config.secretKey)),
    rate: config.newsletterRate,
    connections: config.newsletterConnections,
  });
  newsletters.start();
  return {
    stop: async () => {
      await Promise.all([sync.stop(), newsletters.stop()]);
      db.close();
    },
  };
}

const config = readConfig();
if (cluster.isPrimary) {
  runPrimary(config).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    // The lines logged before the failure (what start-up was doing) are written out first.
    exitAfterLogs(1);
  });
} else {
  runHttpWorker(config, createLogger(config));
}
