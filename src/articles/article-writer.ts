import { createHash } from 'node:crypto';
import type { Db } from '../db/open-database';
import { createArticleRepository, type ArticleStatus } from './articles-repository';
import { bodyPlainText, linkedTopics, type BodyBlock } from './article-body';
import { createTopicRepository } from './topics-repository';

// The one way a story is written, whoever writes it (`npm run import`, the newsroom's editor):
// its row, its topics (named ones and those linked from the body), its inline photos and its old
// slugs, with a hash of all of it so that writing the same story again changes nothing. The
// database's triggers then do the rest (search index, stored renders, content version, purges).

export type StoryToWrite = {
  sectionId: number;
  slug: string;
  headline: string;
  deck: string;
  byline: string;
  source: string;
  creditLine: string;
  body: BodyBlock[];
  /** Topics named outright (the body's topic links are added after them). */
  topics: { slug: string; name: string }[];
  heroPhotoId: number | null;
  status: ArticleStatus;
  publishedAt: string;
  updatedAt: string | null;
  /** Earlier slugs whose addresses keep answering with a 301. */
  oldSlugs: string[];
};

export type WriteOutcome = { id: number; outcome: 'inserted' | 'updated' | 'unchanged' };

export function createArticleWriter(db: Db) {
  const articles = createArticleRepository(db);
  const topics = createTopicRepository(db);

  /** Writes `story` as the article `existingId` (or the one with its section and slug, or a new one). Call inside a transaction. */
  function write(story: StoryToWrite, existingId?: number): WriteOutcome {
    const explicitNames = new Map(story.topics.map((topic) => [topic.slug, topic.name]));
    const topicList = [...story.topics.map((t) => ({ slug: t.slug, text: t.name })), ...linkedTopics(story.body)].filter(
      (topic, index, all) => all.findIndex((other) => other.slug === topic.slug) === index,
    );
    const topicIds = topicList.map((topic) =>
      topics.ensure(topic.slug, explicitNames.get(topic.slug) ?? topic.text, explicitNames.has(topic.slug)),
    );
    const inlinePhotoIds = story.body.flatMap((block) => (block.type === 'photo' ? [block.photoId] : []));
    const row = {
      section_id: story.sectionId,
      slug: story.slug,
      headline: story.headline,
      deck: story.deck,
      byline: story.byline,
      source: story.source,
      credit_line: story.creditLine,
      body_json: JSON.stringify(story.body),
      body_text: bodyPlainText(story.body),
      hero_photo_id: story.heroPhotoId,
      status: story.status,
      published_at: story.publishedAt,
      updated_at: story.updatedAt,
    };
    const contentHash = createHash('sha256')
      .update(JSON.stringify([row, topicIds, story.oldSlugs, inlinePhotoIds]))
      .digest('hex');
    const existing = existingId !== undefined ? articles.findIdentityById(existingId) : articles.findIdentity(story.sectionId, story.slug);
    if (existing?.content_hash === contentHash) return { id: existing.id, outcome: 'unchanged' };
    const writeRow = { ...row, content_hash: contentHash };
    const id = existing ? existing.id : articles.insert(writeRow);
    if (existing) articles.update(id, writeRow);
    articles.replaceTopics(id, topicIds);
    articles.replaceInlinePhotos(id, inlinePhotoIds);
    articles.setOldSlugs(id, story.slug, story.oldSlugs);
    return { id, outcome: existing ? 'updated' : 'inserted' };
  }

  return { write };
}
