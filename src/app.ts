import querystring from 'node:querystring';
import compression from 'compression';
import type { RequestListener } from 'node:http';
import express from 'express';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Db } from './db/open-database';
import { VIEWS_DIR } from './project-paths';
import type { AppDeps } from './routes/app-deps';
import { createAssetsRouter } from './routes/assets';
import { createCrawlersRouter } from './routes/crawlers';
import { createErrorHandler, notFoundHandler } from './routes/error-handler';
import { createFeedsRouter } from './routes/feeds';
import { createFrontAndTopicsRouter } from './routes/front-and-topics';
import { createHealthRouter } from './routes/health';
import { createPhotosRouter } from './routes/photos';
import { createFrontDoor } from './routes/front-door';
import { requestLimits } from './routes/request-limits';
import { createArticleRenderRepository } from './repositories/article-renders';
import { createContentVersionRepository } from './repositories/content-version';
import { PageCache } from './services/page-cache';
import { createPageContext } from './services/page-context';
import { securityHeaders } from './routes/security-headers';
import { ArticleHeaders } from './routes/stored-articles';
import { createSearchRouter } from './routes/search';
import { createSectionsAndArticlesRouter } from './routes/sections-and-articles';
import { createSubscribeRouter } from './routes/subscribe';
import { MailSender } from './services/mail-sender';
import { ArticlePages } from './services/article-pages';
import { PhotoStore } from './services/photo-store';
import { createTemplateRenderer } from './services/template-renderer';

/** How long a cached page may be served at most: stories scheduled for later appear within this. */
const PAGE_CACHE_TTL_MS = 30_000;

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

/**
 * Builds the whole site: the front door (routes/front-door.ts) before an Express app. It never
 * listens: server.ts does, and tests use supertest.
 */
export function createApp({
  db,
  config,
  logger,
  now = () => new Date(),
  mailSender,
  pageCacheTtlMs = PAGE_CACHE_TTL_MS,
}: AppOptions): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  // At most 50 query parameters, parsed flat ("a[b]=1" stays a key): no objects from the query string.
  app.set('query parser', (query: string) => querystring.parse(query, '&', '=', { maxKeys: 50 }));
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');
  const renderTemplate = createTemplateRenderer({ development: config.env === 'development' });
  app.engine('ejs', (file, data, callback) => {
    let html: string;
    try {
      html = renderTemplate(file, data);
    } catch (error) {
      return callback(error as Error);
    }
    callback(null, html);
  });
  // Templates are compiled once; in development they are re-read so edits show without a restart.
  app.set('view cache', config.env !== 'development');

  const page = createPageContext(db, config);
  const deps: AppDeps = {
    db,
    page,
    articlePages: new ArticlePages(page, createArticleRenderRepository(db), renderTemplate, { storeRenders: config.env !== 'development' }),
    photoStore: new PhotoStore(config.photosDir),
    pageCache: { cache: new PageCache(config.pageCacheBytes, pageCacheTtlMs), version: createContentVersionRepository(db).current },
    logger,
    now: () => now().toISOString(),
  };

  // Cached pages and stored stories are answered before all of this, by the front door.
  const articleHeaders = new ArticleHeaders();
  app.use(createHealthRouter(deps));
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
  app.use(createSectionsAndArticlesRouter(deps, articleHeaders));
  app.use(notFoundHandler);
  app.use(createErrorHandler(deps));
  return createFrontDoor(app, deps, articleHeaders);
}
