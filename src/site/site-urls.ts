// The one place that knows how the site's URLs are spelled (see SITE.md).

/** /World/Asia-Pacific/2013/0629/Slug: the date part is the publication date in UTC. */
export function articlePath(sectionPath: string, publishedAt: string, slug: string): string {
  const date = new Date(publishedAt);
  const yyyy = String(date.getUTCFullYear()).padStart(4, '0');
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(date.getUTCDate()).padStart(2, '0');
  return `/${sectionPath}/${yyyy}/${mm}${dd}/${slug}`;
}

// One part of a section path or slug: what articlePath writes and parseArticlePath reads.
const NAME_PART = /^[A-Za-z0-9][A-Za-z0-9-]{0,199}$/;
const YEAR = /^\d{4}$/;
const MONTH_DAY = /^\d{4}$/;

/** Whether one part of a path can name a section or a story (letters, digits, hyphens). */
export const isNamePart = (part: string): boolean => NAME_PART.test(part);

/**
 * Reads an article address from its parts ("World", "Asia-Pacific", "2013", "0629", "Slug"):
 * section parts, a year, a month and day, and a slug, in any letter case; null for anything
 * else. The date is not checked here: a story is found by its slug, and a wrong date redirects.
 */
export function parseArticlePath(parts: readonly string[]): { sectionPath: string; slug: string } | null {
  if (parts.length < 4 || !YEAR.test(parts.at(-3)!) || !MONTH_DAY.test(parts.at(-2)!)) return null;
  const sectionParts = parts.slice(0, -3);
  const slug = parts.at(-1)!;
  if (!sectionParts.every(isNamePart) || !isNamePart(slug)) return null;
  return { sectionPath: sectionParts.join('/'), slug };
}

export const sectionPathUrl = (sectionPath: string): string => `/${sectionPath}`;
export const topicPath = (slug: string): string => `/topics/${slug}`;
export const photoVariantPath = (sha256: string, width: number, format: 'jpg' | 'webp'): string => `/photos/${sha256}-${width}w.${format}`;

/** Adds ?page=N to a listing URL; page 1 is the bare URL, so there is one address per page. */
export function pagePath(basePath: string, page: number): string {
  return page <= 1 ? basePath : `${basePath}?page=${page}`;
}

export const absoluteUrl = (siteUrl: string, pathOrUrl: string): string => new URL(pathOrUrl, `${siteUrl}/`).toString();
