import { Router, type Request } from 'express';
import { BadRequestError, NotFoundError } from '../errors';
import { listingQuerySchema } from '../fronts/listing-query';
import { parseOrBadRequest } from '../http/parse-request';
import { findArticle } from './article-page-model';
import { articlePageHeaders } from './article-page-headers';
import { buildSectionFront } from '../fronts/listing-pages';
import { isNamePart, parseArticlePath, sectionPathUrl } from '../site/site-urls';
import type { AppDeps } from '../app-deps';
import { contentVersionFor, sendAndKeep } from '../delivery/cached-pages';
import { queryString } from '../http/query-string';
import { sendPage } from '../delivery/send-shared-page';

/** The decoded parts of the path; a malformed percent-encoding is the reader's error, not ours. */
function pathParts(req: Request): { parts: string[]; hadEmptyParts: boolean } {
  const raw = req.path.split('/').slice(1);
  const parts = raw.filter((part) => part !== '');
  try {
    return { parts: parts.map((part) => decodeURIComponent(part)), hadEmptyParts: parts.length !== raw.length };
  } catch {
    throw new BadRequestError('The address has a malformed percent-encoding.');
  }
}

/**
 * Every other GET: section fronts (/World, /World/Asia-Pacific) and articles
 * (/World/Asia-Pacific/2013/0629/Slug). URLs match in any case; anything but the canonical
 * spelling (case, old slug, wrong section or date, trailing or doubled slashes) is a 301 to it.
 */
export function createSectionsAndArticlesRouter(deps: AppDeps): Router {
  const router = Router();
  const { content } = deps.page;

  router.get('/{*path}', (req, res) => {
    const { parts, hadEmptyParts } = pathParts(req);
    if (parts.length === 0 || !parts.every(isNamePart)) throw new NotFoundError();
    const version = contentVersionFor(res, deps.pageCache);
    const directory = content.sectionDirectory(version.version);
    const now = deps.now();

    const address = parseArticlePath(parts);
    if (address) {
      const found = findArticle(deps.page, directory, { ...address, now });
      if (found.kind === 'missing') throw new NotFoundError('We could not find that story.');
      if (found.canonicalPath !== req.path) return res.redirect(301, found.canonicalPath + queryString(req.originalUrl));
      const page = deps.articlePages.page(directory, found, now, version.version);
      // The same headers as the front door's answer (stored-article-answer.ts), from the same function.
      res.set(articlePageHeaders(found, page, { secure: req.secure, content: version, now }));
      return sendAndKeep(req, res, deps.pageCache, Buffer.concat(page.chunks), version.version, page.etag);
    }

    const section = parts.length <= 2 ? directory.findByPath(parts.join('/')) : undefined;
    if (!section) throw new NotFoundError();
    const canonicalPath = sectionPathUrl(section.path);
    if (canonicalPath !== req.path || hadEmptyParts) return res.redirect(301, canonicalPath + queryString(req.originalUrl));
    const { page = 1 } = parseOrBadRequest(listingQuerySchema, req.query, 'address');
    const view = buildSectionFront(deps.page, directory, section, page, now);
    sendPage(req, res, deps.pageCache, 'pages/listing', view, {
      kind: 'front',
      content: version,
      surrogateKeys: view.cacheKeys,
    });
  });

  return router;
}
