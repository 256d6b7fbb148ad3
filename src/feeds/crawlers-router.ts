import { Router, type Request, type Response } from 'express';
import { NotFoundError } from '../errors';
import { articleSitemap, newsSitemap, sectionsSitemap, sitemapIndex } from './sitemaps';
import { absoluteUrl } from '../site/site-urls';
import type { AppDeps } from '../app-deps';
import { contentVersionFor } from '../delivery/cached-pages';
import { sendPage } from '../delivery/send-shared-page';

/** GET /robots.txt, /sitemap.xml (an index), /sitemaps/*.xml and /news-sitemap.xml. */
export function createCrawlersRouter(deps: AppDeps): Router {
  const router = Router();
  const { page } = deps;
  const xml = (req: Request, res: Response, template: string, view: object, keys: string[]) => {
    const version = contentVersionFor(res, deps.pageCache);
    res.type('application/xml; charset=utf-8');
    sendPage(req, res, deps.pageCache, template, view, { kind: 'sitemap', content: version, surrogateKeys: ['sitemaps', ...keys] });
  };

  router.get('/robots.txt', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400');
    res
      .type('text/plain')
      .send(
        [
          'User-agent: *',
          'Allow: /',
          'Disallow: /search',
          'Disallow: /subscribe/',
          '',
          `Sitemap: ${absoluteUrl(page.config.siteUrl, '/sitemap.xml')}`,
          `Sitemap: ${absoluteUrl(page.config.siteUrl, '/news-sitemap.xml')}`,
          '',
        ].join('\n'),
      );
  });

  router.get('/sitemap.xml', (req, res) => {
    const version = contentVersionFor(res, deps.pageCache);
    xml(req, res, 'crawlers/sitemap-index', { sitemaps: sitemapIndex(page, version.changed_at, deps.sitemapUrlsPerFile) }, []);
  });

  router.get('/sitemaps/sections.xml', (req, res) => {
    // The version before the data it is cached under (contentVersionFor returns the same one to xml()).
    const { version } = contentVersionFor(res, deps.pageCache);
    xml(req, res, 'crawlers/sitemap', { urls: sectionsSitemap(page, page.content.sectionDirectory(version)) }, ['sections']);
  });

  router.get('/sitemaps/:name', (req, res) => {
    const match = /^articles-([1-9][0-9]{0,6})\.xml$/.exec(req.params.name);
    if (!match) throw new NotFoundError();
    const file = Number(match[1]);
    // Past the last file the index lists is a 404; a listed file whose stories are all drafts is empty.
    if (file > page.content.syndication.sitemapFileCount(deps.sitemapUrlsPerFile)) throw new NotFoundError();
    const urls = articleSitemap(page, file, deps.now(), deps.sitemapUrlsPerFile);
    xml(req, res, 'crawlers/sitemap', { urls }, ['articles']);
  });

  router.get('/news-sitemap.xml', (req, res) => {
    xml(req, res, 'crawlers/news-sitemap', { siteName: page.config.siteName, entries: newsSitemap(page, deps.now()) }, ['articles']);
  });

  return router;
}
