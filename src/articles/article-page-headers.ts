import { articleCacheKind, cacheHeaders } from '../delivery/cache-headers';
import type { ContentVersion } from '../delivery/content-version-repository';
import { securityHeaderValues } from '../http/security-headers';
import type { ArticlePageResult } from './article-page-assembly';
import type { ArticleLookup } from './article-page-model';

/**
 * Every header of an article page but those of one response (date, length, encoding, request id):
 * the same for the router and for the front door, which both call this, so the two paths cannot
 * drift apart. Its lifetime follows the story's age.
 */
export function articlePageHeaders(
  found: Extract<ArticleLookup, { kind: 'found' }>,
  page: ArticlePageResult,
  options: { secure: boolean; content: ContentVersion; now: string },
): Record<string, string> {
  const nowMs = Date.parse(options.now);
  return {
    ...securityHeaderValues(options.secure),
    'content-type': 'text/html; charset=utf-8',
    ...cacheHeaders(
      {
        kind: articleCacheKind(found.article.published_at, found.article.updated_at, nowMs),
        content: options.content,
        surrogateKeys: page.surrogateKeys,
      },
      nowMs,
    ),
    etag: page.etag,
  };
}
