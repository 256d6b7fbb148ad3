import type { Logger } from 'pino';
import type { Db } from '../db/open-database';
import type { PageContext } from '../services/page-context';
import type { PhotoStore } from '../services/photo-store';

/** What the routers share, built once by createApp. */
export type AppDeps = {
  db: Db;
  page: PageContext;
  photoStore: PhotoStore;
  logger: Logger;
  /** The current time as an ISO string; tests pass a fixed clock. */
  now: () => string;
};
