// The one place that knows how the site's URLs are spelled (see SITE.md).

/** /World/Asia-Pacific/2013/0629/Slug: the date part is the publication date in UTC. */
export function articlePath(sectionPath: string, publishedAt: string, slug: string): string {
  const date = new Date(publishedAt);
  const yyyy = String(date.getUTCFullYear()).padStart(4, '0');
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(date.getUTCDate()).padStart(2, '0');
  return `/${sectionPath}/${yyyy}/${mm}${dd}/${slug}`;
}

export const sectionPathUrl = (sectionPath: string): string => `/${sectionPath}`;
export const topicPath = (slug: string): string => `/topics/${slug}`;
export const photoVariantPath = (sha256: string, width: number, format: 'jpg' | 'webp'): string => `/photos/${sha256}-${width}w.${format}`;

/** Adds ?page=N to a listing URL; page 1 is the bare URL, so there is one address per page. */
export function pagePath(basePath: string, page: number): string {
  return page <= 1 ? basePath : `${basePath}?page=${page}`;
}

export const absoluteUrl = (siteUrl: string, pathOrUrl: string): string => new URL(pathOrUrl, `${siteUrl}/`).toString();
