import querystring from 'node:querystring';
import compression from 'compression';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Db } from './db/open-database';
import { ASSETS_DIR, VIEWS_DIR } from './project-paths';
import type { AppDeps } from './routes/app-deps';
import { createAssetsRouter } from './routes/assets';
import { createCrawlersRouter } from './routes/crawlers';
import { createErrorHandler, notFoundHandler } from './routes/error-handler';
import { createFeedsRouter } from './routes/feeds';
import { createFrontAndTopicsRouter } from './routes/front-and-topics';
import { createHealthRouter } from './routes/health';
import { createPhotosRouter } from './routes/photos';
import { requestLimits } from './routes/request-limits';
import { requestLog } from './routes/request-log';
import { securityHeaders } from './routes/security-headers';
import { createSearchRouter } from './routes/search';
import { createSectionsAndArticlesRouter } from './routes/sections-and-articles';
import { createSubscribeRouter } from './routes/subscribe';
import { loadOrCreateSecret } from './repositories/settings';
import { FormTokens } from './services/form-tokens';
import { MailSender } from './services/mail-sender';
import { AssetManifest } from './services/asset-manifest';
import { PhotoStore } from './services/photo-store';
import { createSiteContent } from './services/site-content';

export type AppOptions = {
  db: Db;
  config: Config;
  logger: Logger;
  /** The clock deciding what is published; tests fix it. */
  now?: () => Date;
  /** Sends the mail outbox; server.ts starts its polling. Made here (not started) when absent. */
  mailSender?: MailSender;
};

/** Builds the whole site as an Express app. It never listens: server.ts does, and tests use supertest. */
export function createApp({ db, config, logger, now = () => new Date(), mailSender }: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  // At most 50 query parameters, parsed flat ("a[b]=1" stays a key): no objects from the query string.
  app.set('query parser', (query: string) => querystring.parse(query, '&', '=', { maxKeys: 50 }));
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');
  // Templates are compiled once; in development they are re-read so edits show without a restart.
  app.set('view cache', config.env !== 'development');

  const deps: AppDeps = {
    db,
    page: {
      content: createSiteContent(db),
      config,
      assets: new AssetManifest(ASSETS_DIR),
      tokens: new FormTokens(loadOrCreateSecret(db, config.secretKey)),
    },
    photoStore: new PhotoStore(config.photosDir),
    logger,
    now: () => now().toISOString(),
  };

  app.use(requestLog(logger));
  app.use(securityHeaders());
  app.use(requestLimits());
  // gzip or brotli, as the client accepts; images are already compressed and are left alone.
  app.use(compression({ threshold: 1024 }));
  app.use(createHealthRouter(deps));
  app.use(createAssetsRouter(deps));
  app.use(createPhotosRouter(deps));
  app.use(createFrontAndTopicsRouter(deps));
  app.use(createSearchRouter(deps));
  app.use(createFeedsRouter(deps));
  app.use(createCrawlersRouter(deps));
  app.use(
    createSubscribeRouter({
      ...deps,
      mailSender: mailSender ?? new MailSender({ db, logger, smtpUrl: config.smtpUrl, from: config.mailFrom }),
    }),
  );
  app.use(createSectionsAndArticlesRouter(deps));
  app.use(notFoundHandler);
  app.use(createErrorHandler(deps));
  return app;
}
