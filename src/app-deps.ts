import type { Logger } from 'pino';
import type { Db } from './db/open-database';
import type { ArticlePages } from './articles/article-page-assembly';
import type { PageContext } from './site/page-context';
import type { PhotoStore } from './photos/photo-store';
import type { PageCacheDeps } from './delivery/cached-pages';

/** What the routers share, built once by createApp. */
export type AppDeps = {
  db: Db;
  page: PageContext;
  /** Article pages from stored renders joined with the layout. */
  articlePages: ArticlePages;
  photoStore: PhotoStore;
  logger: Logger;
  /** Rendered shared pages, and the content version that says whether they are current. */
  pageCache: PageCacheDeps;
  /** The current time as an ISO string; tests pass a fixed clock. */
  now: () => string;
};
