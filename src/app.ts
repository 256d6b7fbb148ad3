import querystring from 'node:querystring';
import compression from 'compression';
import ejs from 'ejs';
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
import { servePageFromCache } from './routes/page-cache';
import { requestLimits } from './routes/request-limits';
import { createContentVersionRepository } from './repositories/content-version';
import { PageCache } from './services/page-cache';
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

/** How long a cached page may be served at most: stories scheduled for later appear within this. */
const PAGE_CACHE_TTL_MS = 30_000;
/** Every name a template or partial reads from its data (see the view engine below). */
const TEMPLATE_LOCALS = ['view', 'photo', 'loading', 'priority', 'story', 'lead', 'offer', 'pagination'];

export type AppOptions = {
  db: Db;
  config: Config;
  logger: Logger;
  /** The clock deciding what is published; tests fix it. */
  now?: () => Date;
  /** Sends the mail outbox; server.ts starts its polling. Made here (not started) when absent. */
  mailSender?: MailSender;
  /** How long a cached page may be served at most (tests shorten it). */
  pageCacheTtlMs?: number;
};

/** Builds the whole site as an Express app. It never listens: server.ts does, and tests use supertest. */
export function createApp({
  db,
  config,
  logger,
  now = () => new Date(),
  mailSender,
  pageCacheTtlMs = PAGE_CACHE_TTL_MS,
}: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  // At most 50 query parameters, parsed flat ("a[b]=1" stays a key): no objects from the query string.
  app.set('query parser', (query: string) => querystring.parse(query, '&', '=', { maxKeys: 50 }));
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');
  // Templates see their data as plain variables without a \`with\` block (V8 runs that slowly): the
  // names the templates and their includes use are listed once here.
  app.engine('ejs', (file, data, callback) =>
    ejs.renderFile(
      file,
      data as ejs.Data,
      {
        // Includes are written from the views folder ('/partials/photo'), which EJS resolves
        // without asking the file system on every render, as it does for relative ones.
        root: VIEWS_DIR,
        _with: false,
        destructuredLocals: TEMPLATE_LOCALS,
        compileDebug: config.env === 'development',
        cache: config.env !== 'development',
      },
      callback,
    ),
  );
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
    pageCache: { cache: new PageCache(config.pageCacheBytes, pageCacheTtlMs), version: createContentVersionRepository(db).current },
    logger,
    now: () => now().toISOString(),
  };

  app.use(requestLog(logger));
  // Before everything else: a cached shared page needs none of the work below (its headers were kept).
  app.use(createHealthRouter(deps));
  app.use(servePageFromCache(deps.pageCache));
  app.use(securityHeaders());
  app.use(requestLimits());
  // gzip or brotli, as the client accepts; images are already compressed and are left alone.
  app.use(compression({ threshold: 1024 }));
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
