import type { SitemapRow } from '../articles/articles-repository';
import type { PageContext } from '../site/page-context';
import type { SectionDirectory } from '../site/section-directory';
import { absoluteUrl, articlePath, sectionPathUrl } from '../site/site-urls';
import { largestVariant } from '../site/view-models';

// Sitemaps for crawlers: an index of article sitemaps, each with the stories of one range of ids
// and their photos and captions; a sitemap of fronts; and the Google News sitemap of the last 48
// hours. The protocol allows 50,000 URLs and 50 MB a file; a file here holds at most
// URLS_PER_SITEMAP (500: about 150 kB, built in some 20 ms on a large archive), so that no request
// builds a large one. Each is built once per content version and kept by the page cache with its
// ETag. The index is read from the highest id alone, with no scan of the stories; a file whose
// range holds no visible story is an empty, valid urlset.

export const URLS_PER_SITEMAP = 500;
export const NEWS_SITEMAP_HOURS = 48;

export type SitemapImage = { loc: string; caption: string; title: string };
export type SitemapUrl = { loc: string; lastmod: string | null; images: SitemapImage[] };

export function sitemapIndex(context: PageContext, lastmod: string, perFile = URLS_PER_SITEMAP): { loc: string; lastmod: string }[] {
  const files = context.content.syndication.sitemapFileCount(perFile);
  return [
    { loc: absoluteUrl(context.config.siteUrl, '/sitemaps/sections.xml'), lastmod },
    ...Array.from({ length: files }, (_, i) => ({ loc: absoluteUrl(context.config.siteUrl, `/sitemaps/articles-${i + 1}.xml`), lastmod })),
  ];
}

export function articleSitemap(context: PageContext, file: number, now: string, perFile = URLS_PER_SITEMAP): SitemapUrl[] {
  const { content, config } = context;
  const rows = content.syndication.sitemapFile(now, file, perFile);
  return rows.map((row) => {
    const photoIds = [...(row.hero_photo_id === null ? [] : [row.hero_photo_id]), ...content.syndication.inlinePhotoIds(row.id)];
    const images = [...new Set(photoIds)].flatMap((id) => {
      const photo = content.photos.findById(id);
      return photo ? [{ loc: absoluteUrl(config.siteUrl, largestVariant(photo).path), caption: photo.caption, title: photo.alt }] : [];
    });
    return {
      loc: absoluteUrl(config.siteUrl, articlePath(row.section_path, row.published_at, row.slug)),
      lastmod: row.updated_at ?? row.published_at,
      images,
    };
  });
}

export function sectionsSitemap(context: PageContext, directory: SectionDirectory): SitemapUrl[] {
  const all = directory.topLevel.flatMap((top) => [top, ...top.children]);
  return [
    { loc: absoluteUrl(context.config.siteUrl, '/'), lastmod: null, images: [] },
    ...all.map((section) => ({ loc: absoluteUrl(context.config.siteUrl, sectionPathUrl(section.path)), lastmod: null, images: [] })),
  ];
}

export type NewsSitemapEntry = { loc: string; title: string; published: string };

export function newsSitemap(context: PageContext, now: string): NewsSitemapEntry[] {
  const since = new Date(Date.parse(now) - NEWS_SITEMAP_HOURS * 3_600_000).toISOString();
  return context.content.syndication.publishedSince(since, now).map((row: SitemapRow) => ({
    loc: absoluteUrl(context.config.siteUrl, articlePath(row.section_path, row.published_at, row.slug)),
    title: row.headline,
    published: row.published_at,
  }));
}
