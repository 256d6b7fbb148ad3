import type { CachePurgesRepository, QueuedPurge } from './cache-purges-repository';

// The Surrogate-Key names pages carry (and that cache nodes purge by), in one place:
//
//   article-N           every page that shows story N: its own page, the lists and feeds it is in,
//                       the pages that list it among their related stories, search results showing it
//   section-N           pages that show section N's name (its stories' breadcrumbs, its front)
//   stories-section-N   the lists of section N's stories: its front and its feeds
//   topic-N             topic N's page, and the pages of its stories (their related stories follow topics)
//   front               the front page and the site-wide feeds
//   search, sitemaps, feeds   every search result page, sitemap, feed list
//   layout, promo, offer, sections   the parts of the layout every page shares
//   not-found           cached 404 pages (a story arriving at an address that answered 404)
//   corrections         the /corrections list (a correction added; a corrected story arriving)

/** The keys of the lists a story joins when it appears (published, its time reached, moved). */
export function arrivalKeys(repository: CachePurgesRepository, articleId: number): string[] {
  const story = repository.arrivingStory(articleId);
  if (!story) return [`article-${articleId}`];
  const sections = story.parent_section_id === null ? [story.section_id] : [story.section_id, story.parent_section_id];
  return [
    `article-${story.id}`,
    'front',
    'search',
    'sitemaps',
    'not-found',
    'corrections',
    ...sections.map((id) => `stories-section-${id}`),
    ...repository.topicIds(story.id).map((id) => `topic-${id}`),
    ...repository.relatedWindow(story).map((id) => `article-${id}`),
  ];
}

/** The distinct keys a batch of queued purges names, with arrivals expanded as the database now is. */
export function keysToPurge(repository: CachePurgesRepository, batch: readonly QueuedPurge[]): string[] {
  const keys = new Set<string>();
  for (const row of batch) {
    if (row.key !== null) keys.add(row.key);
    else for (const key of arrivalKeys(repository, row.arriving_article_id!)) keys.add(key);
  }
  return [...keys];
}
