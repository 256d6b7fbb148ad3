import type { Db } from '../db/open-database';
import { createArticleRepository, createSyndicationRepository } from '../articles/articles-repository';
import { createContentVersionRepository } from '../delivery/content-version-repository';
import { createOfferRepository } from './offers-repository';
import { createPhotoRepository } from '../photos/photos-repository';
import { createPromoRepository } from './promos-repository';
import { createSectionRepository } from './sections-repository';
import { createTopicRepository } from '../articles/topics-repository';
import { createCorrectionsRepository } from '../articles/corrections-repository';
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
    corrections: createCorrectionsRepository(db),
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
