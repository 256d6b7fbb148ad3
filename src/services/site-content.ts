import type { Db } from '../db/open-database';
import { createArticleRepository, createSyndicationRepository } from '../repositories/articles';
import { createContentVersionRepository } from '../repositories/content-version';
import { createOfferRepository } from '../repositories/offers';
import { createPhotoRepository } from '../repositories/photos';
import { createPromoRepository } from '../repositories/promos';
import { createSectionRepository } from '../repositories/sections';
import { createTopicRepository } from '../repositories/topics';
import { SectionDirectory } from './section-directory';

/** The repositories the reader-facing pages read from, prepared once per app. */
export function createSiteContent(db: Db) {
  const sections = createSectionRepository(db);
  const contentVersion = createContentVersionRepository(db).current;
  let directoryCache: { version: number; directory: SectionDirectory } | undefined;
  return {
    articles: createArticleRepository(db),
    syndication: createSyndicationRepository(db),
    photos: createPhotoRepository(db),
    topics: createTopicRepository(db),
    promos: createPromoRepository(db),
    offers: createOfferRepository(db),
    sections,
    contentVersion,
    /** The section tree as it is now, rebuilt only when the content has changed (pass the version if read already). */
    sectionDirectory(knownVersion?: number): SectionDirectory {
      const version = knownVersion ?? contentVersion().version;
      if (directoryCache?.version !== version) directoryCache = { version, directory: new SectionDirectory(sections.listAll()) };
      return directoryCache.directory;
    },
  };
}

export type SiteContent = ReturnType<typeof createSiteContent>;
