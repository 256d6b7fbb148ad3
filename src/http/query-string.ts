/** The "?..." part of a URL, kept across a redirect (campaign parameters, page numbers). */
export function queryString(originalUrl: string): string {
  const index = originalUrl.indexOf('?');
  return index === -1 ? '' : originalUrl.slice(index);
}
