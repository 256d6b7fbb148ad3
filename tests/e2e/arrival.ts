// Where a story shows once it is public, read with fetch (no browser cache, as a crawler or a
// reader's first visit sees it): the front page, its section, the feed, the news sitemap, search.

export const ARRIVAL_PLACES = (section: string, searchWords: string) => [
  '/',
  `/${section}`,
  '/feeds/rss.xml',
  '/news-sitemap.xml',
  `/search?q=${encodeURIComponent(searchWords)}`,
];

/** The places among `places` whose answer holds `headline` now. */
export async function placesShowing(baseUrl: string, places: readonly string[], headline: string): Promise<string[]> {
  const shown: string[] = [];
  for (const place of places) {
    const res = await fetch(`${baseUrl}${place}`);
    if ((await res.text()).includes(headline)) shown.push(place);
  }
  return shown;
}

/**
 * Waits for `headline` to show in every place, checking that it shows in none just before `at`;
 * returns how many milliseconds after `at` it was everywhere (or Infinity after five seconds).
 */
export async function millisecondsUntilEverywhere(
  baseUrl: string,
  places: readonly string[],
  headline: string,
  at: number,
): Promise<number> {
  while (Date.now() < at - 300) await new Promise((resolve) => setTimeout(resolve, 100));
  if (Date.now() < at - 50) {
    const early = await placesShowing(baseUrl, places, headline);
    if (early.length > 0) throw new Error(`${headline} showed before its time at ${early.join(', ')}`);
  }
  while (Date.now() < at + 5_000) {
    if ((await placesShowing(baseUrl, places, headline)).length === places.length) return Date.now() - at;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Infinity;
}
