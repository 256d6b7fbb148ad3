import querystring from 'node:querystring';
import compression from 'compression';
import type { RequestListener } from 'node:http';
import express from 'express';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Db } from './db/open-database';
import { VIEWS_DIR } from './project-paths';
import type { AppDeps } from './app-deps';
import { createAssetsRouter } from './site/assets-router';
import { createCrawlersRouter } from './feeds/crawlers-router';
import { createErrorHandler, notFoundHandler } from './http/error-handler';
import { createFeedsRouter } from './feeds/feeds-router';
import { createFrontAndTopicsRouter } from './fronts/fronts-router';
import { createHealthRouter } from './http/health-router';
import { createPhotosRouter } from './photos/photos-router';
import { createFrontDoor } from './delivery/front-door';
import { requestLimits } from './http/request-limits';
import { createArticleRenderRepository } from './articles/article-renders-repository';
import { createContentVersionRepository } from './delivery/content-version-repository';
import { PageCache } from './delivery/page-cache';
import { createPageContext } from './site/page-context';
import { securityHeaders } from './http/security-headers';
import { systemClock, type Clock } from './clock';
import { RateLimiter } from './http/rate-limiter';
import { createSearchRepository } from './search/search-repository';
import { SearchThreads } from './search/search-threads';
import { SearchLayout } from './search/search-layout';
import { createSearchRefusal } from './search/search-refusal';
import { createSignupService } from './subscriptions/signup';
import { URLS_PER_SITEMAP } from './feeds/sitemaps';
import { createSearchRouter } from './search/search-router';
import { createSectionsAndArticlesRouter } from './articles/articles-and-sections-router';
import { createSubscribeRouter } from './subscriptions/subscribe-router';
import { MailSender } from './mail/mail-sender';
import { ArticlePages } from './articles/article-page-assembly';
import { PhotoStore } from './photos/photo-store';
import { createTemplateRenderer } from './site/template-renderer';
import { createNewsroomAccounts } from './newsroom/newsroom-accounts';
import { createNewsroomStoriesRepository } from './newsroom/newsroom-stories-repository';
import { createNewsroomAccessRouter } from './newsroom/newsroom-access-router';
import { createSigninRouter } from './newsroom/signin-router';
import { createUsersRouter } from './newsroom/users-router';
import { createNewsroomHomeRouter } from './newsroom/newsroom-home-router';
import { createStoriesRouter } from './newsroom/stories-router';
import { createRevisionsRouter } from './newsroom/revisions-router';
import { createPreviewRouter } from './newsroom/preview-router';
import { createCorrectionsRouter } from './articles/corrections-router';
import { createPhotoLibraryRepository } from './newsroom/photo-library-repository';
import { createPhotoLibraryRouter } from './newsroom/photo-library-router';
import { createStoryEditor } from './newsroom/story-editor';
import { createPromoEditor } from './promos/promo-editor';
import { createPromosRouter } from './promos/promos-router';
import { createOfferEditor } from './offer/offer-editor';
import { createOfferRouter } from './offer/offer-router';
import { createNewsletterEditor } from './newsletters/newsletter-editor';
import { createNewslettersRouter } from './newsletters/newsletters-router';
import { createNewsletterWebRouter } from './newsletters/newsletter-web-router';
import { createSubscriberAdminRepository } from './subscriptions/subscriber-admin-repository';
import { createSubscriptionRepository } from './subscriptions/subscriptions-repository';
import { createSubscribersAdminRouter } from './subscriptions/subscribers-admin-router';
import { createEventLoopLoad } from './http/event-loop-load';

/** How long a cached page may be served at most: stories scheduled for later appear within this. */
export const PAGE_CACHE_TTL_MS = 30_000;

export type AppOptions = {
  db: Db;
  config: Config;
  logger: Logger;
  /** The site's one clock (clock.ts); tests pass their own. */
  now?: Clock;
  /** Sends the mail outbox; server.ts starts its polling. Made here (not started) when absent. */
  mailSender?: MailSender;
  /** How long a cached page may be served at most (tests shorten it). */
  pageCacheTtlMs?: number;
  /** The page cache, when the caller wants to watch it (tests); made here when absent. */
  pageCache?: PageCache;
  /** Stories per article sitemap file (tests lower it). */
  sitemapUrlsPerFile?: number;
};

/**
 * The composition root: builds every repository and service once, then the whole site from them:
 * the front door (delivery/front-door.ts) before an Express app. It never listens: server.ts
 * does, and tests use supertest.
 */
export function createApp({
  db,
  config,
  logger,
  now = systemClock,
  mailSender,
  pageCacheTtlMs = PAGE_CACHE_TTL_MS,
  pageCache = new PageCache(config.pageCacheBytes, pageCacheTtlMs),
  sitemapUrlsPerFile = URLS_PER_SITEMAP,
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

  const nowMs = () => now().getTime();
  const page = createPageContext(db, config);
  const limiter = new RateLimiter(db);
  const search = createSearchRepository(db);
  const newsroom = createNewsroomAccounts(db, { siteUrl: config.siteUrl, siteName: config.siteName });
  const isoNow = () => now().toISOString();
  const pageCacheDeps = { cache: pageCache, version: createContentVersionRepository(db).current, nowMs };
  const mainThreadLoad = createEventLoopLoad();
  const searchThreads = new SearchThreads({
    databasePath: config.databasePath,
    threads: config.searchThreads,
    queue: config.searchQueue,
    maxWaitMs: config.searchMaxWaitMs,
    logger,
    inline: search,
    mainThreadBusy: () => mainThreadLoad.utilization() > config.searchYieldAt,
  });
  const deps: AppDeps = {
    db,
    page,
    articlePages: new ArticlePages(page, createArticleRenderRepository(db), renderTemplate, { storeRenders: config.env !== 'development' }),
    photoStore: new PhotoStore(config.photosDir),
    search,
    searchThreads,
    searchLayout: new SearchLayout(page, renderTemplate),
    searchRefusal: createSearchRefusal({
      searchThreads,
      pageCache: pageCacheDeps,
      knowsSection: (version, path) => page.content.sectionDirectory(version).findByPath(path) !== undefined,
      logger,
      now: isoNow,
      pauseMs: config.searchRefusalPauseMs,
      maxPauseMs: config.searchRefusalMaxPauseMs,
    }),
    signups: createSignupService(db, config, page.tokens, limiter),
    newsroom,
    newsroomStories: createNewsroomStoriesRepository(db),
    storyEditor: createStoryEditor(db),
    photoLibrary: createPhotoLibraryRepository(db),
    promoEditor: createPromoEditor(db, newsroom.audit),
    offerEditor: createOfferEditor(db, newsroom.audit),
    newsletterEditor: createNewsletterEditor(db, newsroom.audit, {
      siteName: config.siteName,
      siteUrl: config.siteUrl,
      tracking: config.newsletterTracking,
      smtpEnabled: config.smtpUrl !== undefined,
    }),
    subscriberAdmin: createSubscriberAdminRepository(db),
    subscriptions: createSubscriptionRepository(db),
    limiter,
    sitemapUrlsPerFile,
    mailSender: mailSender ?? new MailSender({ db, logger, smtpUrl: config.smtpUrl, from: config.mailFrom, now }),
    pageCache: pageCacheDeps,
    logger,
    now: isoNow,
    nowMs,
  };

  // Cached pages and stored stories are answered before all of this, by the front door.
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
  app.use(createCorrectionsRouter(deps));
  app.use(createSubscribeRouter(deps));
  // The newsroom: the gate first (session, private answers, form tokens), then its pages.
  app.use(createNewsroomAccessRouter(deps));
  app.use(createSigninRouter(deps));
  app.use(createUsersRouter(deps));
  app.use(createNewsroomHomeRouter(deps));
  app.use(createRevisionsRouter(deps));
  app.use(createStoriesRouter(deps));
  app.use(createPreviewRouter(deps));
  app.use(createPhotoLibraryRouter(deps));
  app.use(createPromosRouter(deps));
  app.use(createOfferRouter(deps));
  app.use(createSubscribersAdminRouter(deps));
  app.use(createNewslettersRouter(deps));
  app.use(createNewsletterWebRouter(deps));
  app.use(createSectionsAndArticlesRouter(deps));
  app.use(notFoundHandler);
  app.use(createErrorHandler(deps));
  return createFrontDoor(app, deps);
}
