import { createArticleRepository, RELATED_CANDIDATES_PER_TOPIC } from '../../src/articles/articles-repository';
import { buildArticleRecord, importRecords } from '../helpers/article-factory';
import { createTestSite, type TestSite } from '../helpers/test-site';

// Related stories in an archive where a topic is on many stories: the lookup reads only each
// topic's newest stories, and still puts first the story that shares the most topics.

let site: TestSite;
beforeAll(async () => {
  site = await createTestSite();
  const broad = { slug: 'politics', name: 'Politics' };
  const narrow = { slug: 'water-rights', name: 'Water rights' };
  await importRecords(site, [
    // An old story sharing two topics with the one we look at...
    buildArticleRecord({ slug: 'Old-water-story', published_at: '2010-03-01T10:00:00Z', topics: [broad, narrow] }),
    // ...then more stories on the broad topic than the lookup reads.
    ...Array.from({ length: RELATED_CANDIDATES_PER_TOPIC + 50 }, (_, i) =>
      buildArticleRecord({ slug: `Politics-${i}`, published_at: '2012-01-01T10:00:00Z', topics: [broad] }),
    ),
    buildArticleRecord({ slug: 'New-water-story', published_at: '2013-01-01T10:00:00Z', topics: [broad, narrow] }),
  ]);
});
afterAll(() => site.close());

test('the story sharing the most topics comes first, though the broad topic has more stories than are read', () => {
  const articles = createArticleRepository(site.db);
  const story = site.db.prepare("SELECT id, section_id, published_at FROM articles WHERE slug = 'New-water-story'").get() as {
    id: number;
    section_id: number;
    published_at: string;
  };
  const related = articles.listRelated(story, site.now().toISOString());
  expect(related).toHaveLength(4);
  expect(related[0]!.slug).toBe('Old-water-story');
  // The rest share the broad topic: the newest of them.
  for (const row of related.slice(1)) expect(row.slug).toMatch(/^Politics-\d+$/);
  expect(related.map((row) => row.id)).not.toContain(story.id);
});
