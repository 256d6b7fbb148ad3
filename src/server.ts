import type { Server } from 'node:http';
import { isEmptySite, seedDatabase } from '../seed/seed-database';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { migrate } from './db/migrate';
import { openDatabase } from './db/open-database';
import { createLogger } from './logger';
import { MailSender } from './services/mail-sender';
import { PhotoStore } from './services/photo-store';

// Start-up order: configuration → database → migrations → first-run seed → app → listen.
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config);
  const db = openDatabase(config.databasePath);
  const applied = migrate(db);
  if (applied.length > 0) logger.info({ applied }, 'applied migrations');
  if (isEmptySite(db)) {
    const report = await seedDatabase(db, new PhotoStore(config.photosDir));
    logger.info({ inserted: report.inserted }, 'seeded an empty database');
  }

  const mailSender = new MailSender({ db, logger, smtpUrl: config.smtpUrl, from: config.mailFrom });
  mailSender.start();
  const app = createApp({ db, config, logger, mailSender });
  const server: Server = app.listen(config.port, config.host, () => {
    logger.info({ url: `http://${config.host}:${config.port}`, siteUrl: config.siteUrl }, 'listening');
  });
  server.on('error', (error) => {
    logger.fatal({ err: error }, 'could not listen');
    process.exit(1);
  });

  // On SIGTERM/SIGINT: stop accepting, let requests in flight finish (up to a deadline), close
  // the database, exit 0.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.warn('requests still open at the shutdown deadline; closing them');
      server.closeAllConnections();
    }, 10_000);
    deadline.unref();
    server.close(() => {
      void mailSender.stop().finally(() => {
        db.close();
        logger.info('stopped');
        process.exit(0);
      });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
