import { Router } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../errors';
import { listingQuerySchema } from './listing-query';
import { parseOrBadRequest } from '../http/parse-request';
import { buildFrontPage, buildTopicPage } from './listing-pages';
import type { AppDeps } from '../app-deps';
import { contentVersionFor } from '../delivery/cached-pages';
import { queryString } from '../http/query-string';
import { sendPage } from '../delivery/send-shared-page';

const topicParams = z.object({ slug: z.string().regex(/^[A-Za-z0-9-]{1,80}$/) });

/** GET / (the front page) and GET /topics/{slug}. */
export function createFrontAndTopicsRouter(deps: AppDeps): Router {
  const router = Router();
  const { content } = deps.page;

  router.get('/', (req, res) => {
    const version = contentVersionFor(res, deps.pageCache);
    const { page = 1 } = parseOrBadRequest(listingQuerySchema, req.query, 'address');
    const view = buildFrontPage(deps.page, content.sectionDirectory(version.version), page, deps.now());
    sendPage(req, res, deps.pageCache, 'pages/listing', view, {
      kind: 'front',
      content: version,
      surrogateKeys: view.cacheKeys,
    });
  });

  router.get('/topics/:slug', (req, res) => {
    const version = contentVersionFor(res, deps.pageCache);
    const params = topicParams.safeParse(req.params);
    const topic = params.success ? content.topics.findBySlug(params.data.slug) : undefined;
    if (!topic) throw new NotFoundError('We could not find that topic.');
    if (topic.slug !== req.params.slug || req.path.endsWith('/')) {
      return res.redirect(301, `/topics/${topic.slug}${queryString(req.originalUrl)}`);
    }
    const { page = 1 } = parseOrBadRequest(listingQuerySchema, req.query, 'address');
    const view = buildTopicPage(deps.page, content.sectionDirectory(version.version), topic, page, deps.now());
    sendPage(req, res, deps.pageCache, 'pages/listing', view, {
      kind: 'front',
      content: version,
      surrogateKeys: view.cacheKeys,
    });
  });

  return router;
}
