import { Router } from 'express';
import { NotFoundError } from '../errors';
import { FEED_FORMATS, feedPath, type FeedFormat } from './feed-paths';
import { buildFeed, FEED_CONTENT_TYPES } from './feed-documents';
import { buildFeedsPage } from './feeds-page';
import type { AppDeps } from '../app-deps';
import { contentVersionFor } from '../delivery/cached-pages';
import { queryString } from '../http/query-string';
import { sendPage, sendShared } from '../delivery/send-shared-page';

const FEED_NAME = /^\/feeds\/([A-Za-z0-9-]+(?:\/[A-Za-z0-9-]+)?)\.([a-z]+)$/;

/** GET /feeds (the list) and GET /feeds/{all|Section[/Subsection]}.{rss|atom|json}. */
export function createFeedsRouter(deps: AppDeps): Router {
  const router = Router();
  const { page } = deps;

  router.get('/feeds', (req, res) => {
    const version = contentVersionFor(res, deps.pageCache);
    const view = buildFeedsPage(page, page.content.sectionDirectory(version.version), deps.now());
    sendPage(req, res, deps.pageCache, 'pages/feeds', view, {
      kind: 'front',
      content: version,
      surrogateKeys: view.cacheKeys,
    });
  });

  router.get('/feeds/{*rest}', (req, res) => {
    const version = contentVersionFor(res, deps.pageCache);
    const match = FEED_NAME.exec(req.path);
    const format = match?.[2] as FeedFormat | undefined;
    if (!match || !format || !FEED_FORMATS.includes(format)) throw new NotFoundError('There is no such feed.');
    const directory = page.content.sectionDirectory(version.version);
    const section = match[1]!.toLowerCase() === 'all' ? null : directory.findByPath(match[1]!);
    if (section === undefined) throw new NotFoundError('There is no such feed.');
    const canonical = feedPath(section, format);
    if (canonical !== req.path) return res.redirect(301, canonical + queryString(req.originalUrl));
    const feed = buildFeed(page, directory, section, format, deps.now());
    res.type(FEED_CONTENT_TYPES[format]);
    sendShared(req, res, deps.pageCache, feed.body, {
      kind: 'feed',
      content: version,
      surrogateKeys: ['feeds', section ? `stories-section-${section.id}` : 'front', ...feed.itemKeys],
    });
  });

  return router;
}
