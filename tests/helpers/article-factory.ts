import fs from 'node:fs';
import path from 'node:path';
import { importArticles, type ImportReport } from '../../src/importing/article-importer';
import { readImportRecords } from '../../src/importing/import-file-reader';
import { SEED_DIR } from '../../src/project-paths';
import type { TestSite } from './test-site';

let counter = 0;

/** An import record with sensible defaults; override what the test is about. */
export function buildArticleRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    section: 'Science',
    slug: `Test-story-${counter}`,
    headline: `Test story number ${counter}`,
    deck: 'A story made by a test.',
    byline: 'Test Writer, Staff writer',
    published_at: '2014-01-01T10:00:00Z',
    body: ['The first paragraph of a test story.', 'A second paragraph.'],
    ...overrides,
  };
}

/** Writes records as NDJSON into the site's folder and imports them like `npm run import` does. */
export async function importRecords(site: TestSite, records: unknown[], fileName = `import-${++counter}.ndjson`): Promise<ImportReport> {
  const file = path.join(site.dir, fileName);
  fs.writeFileSync(file, records.map((record) => (typeof record === 'string' ? record : JSON.stringify(record))).join('\n'));
  return importArticles(site.db, site.photoStore, readImportRecords(file), { baseDir: SEED_DIR });
}
