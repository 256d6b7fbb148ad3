import path from 'node:path';
import type { Db } from '../db/open-database';
import { createArticleRepository } from '../articles/articles-repository';
import { createPhotoRepository } from '../photos/photos-repository';
import { createSectionRepository } from '../site/sections-repository';
import { createArticleWriter } from '../articles/article-writer';
import { articleImportRecordSchema, type ArticleImportRecord, type PhotoReference } from './article-import-record';
import { parseParagraphMarkup, type BodyBlock } from '../articles/article-body';
import type { RawImportRecord } from './import-file-reader';
import type { StoredPhotoFile } from '../photos/photos-repository';
import type { PhotoStore } from '../photos/photo-store';
import fs from 'node:fs';
import { describeImportIssues, unknownSectionMessage } from './import-messages';

export type ImportRejection = { line: number; reason: string };
export type ImportReport = {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: ImportRejection[];
  /** The import stopped early (Ctrl-C): every record before `read` was handled, nothing after. */
  interrupted?: boolean;
  /** Records read (for a dry run: checked; nothing was written). */
  read: number;
};
export type ImportProgress = { read: number; inserted: number; updated: number; unchanged: number; rejected: number };

type PreparedRecord = {
  line: number;
  record: ArticleImportRecord;
  sectionId: number;
  photos: Map<string, StoredPhotoFile>;
};

// Records are written in batches, one transaction a batch and a savepoint a record, so that a
// large file commits steadily while a record that fails leaves nothing of itself behind.
const BATCH_SIZE = 200;

function photoReferences(record: ArticleImportRecord): PhotoReference[] {
  const inline = record.body.flatMap((block) => (typeof block === 'object' && 'photo' in block ? [block.photo] : []));
  return record.hero_photo ? [record.hero_photo, ...inline] : inline;
}

/**
 * Copies each referenced photo into the store (a dry run only checks that it can be read); on
 * failure, the reason naming the file.
 */
async function preparePhotos(
  photoStore: PhotoStore,
  refs: PhotoReference[],
  baseDir: string,
  dryRun: boolean,
): Promise<Map<string, StoredPhotoFile> | string> {
  const files = new Map<string, StoredPhotoFile>();
  for (const ref of refs) {
    if (files.has(ref.file)) continue;
    try {
      if (dryRun) await fs.promises.access(path.resolve(baseDir, ref.file), fs.constants.R_OK);
      else files.set(ref.file, await photoStore.importFile(path.resolve(baseDir, ref.file)));
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
      return `photo ${ref.file}: ${reason}`;
    }
  }
  return files;
}

/**
 * Validates and upserts articles (by section and slug) with their photos and topics. Every
 * record is checked with zod and its photos prepared before anything is written; a rejected
 * record is reported with its line and writes nothing. Running the same file twice changes
 * nothing the second time: unchanged records are recognised by a hash of what would be written.
 * A story given twice in one file (same section and slug) is rejected the second time, naming the
 * first line, rather than silently replacing it. With `dryRun`, everything is checked and nothing
 * is written: `inserted` counts new stories and `updated` existing ones it would write. When
 * `signal` aborts, the records read so far are written and the report says it was interrupted.
 */
export async function importArticles(
  db: Db,
  photoStore: PhotoStore,
  records: AsyncIterable<RawImportRecord> | Iterable<RawImportRecord>,
  options: { baseDir: string; onProgress?: (progress: ImportProgress) => void; dryRun?: boolean; signal?: AbortSignal },
): Promise<ImportReport> {
  const sections = createSectionRepository(db);
  const photos = createPhotoRepository(db);
  const articles = createArticleRepository(db);
  const writer = createArticleWriter(db);
  const report: ImportReport = { inserted: 0, updated: 0, unchanged: 0, rejected: [], read: 0 };
  const dryRun = options.dryRun ?? false;
  /** The first line of each story in this file, by section id and slug (slugs match in any case). */
  const firstLines = new Map<string, number>();
  const knownSections = () => sections.listAll().map((section) => section.path);

  function writeRecord({ record, sectionId, photos: files }: PreparedRecord): 'inserted' | 'updated' | 'unchanged' {
    const photoId = (ref: PhotoReference) =>
      photos.upsert({ ...files.get(ref.file)!, alt: ref.alt, caption: ref.caption, credit: ref.credit });
    const heroPhotoId = record.hero_photo ? photoId(record.hero_photo) : null;
    const body: BodyBlock[] = record.body.map((block) => {
      if (typeof block === 'string') return { type: 'paragraph', inlines: parseParagraphMarkup(block) };
      if ('photo' in block) return { type: 'photo', photoId: photoId(block.photo) };
      return { type: 'related', title: block.related.title, links: block.related.links };
    });
    return writer.write({
      sectionId,
      slug: record.slug,
      headline: record.headline,
      deck: record.deck,
      byline: record.byline,
      source: record.source,
      creditLine: record.credit_line,
      body,
      topics: record.topics,
      heroPhotoId,
      status: record.status,
      publishedAt: record.published_at,
      updatedAt: record.updated_at ?? null,
      oldSlugs: record.old_slugs,
    }).outcome;
  }

  const writeBatch = db.transaction((batch: PreparedRecord[]) => {
    for (const prepared of batch) {
      try {
        // A nested transaction is a savepoint: a failure here undoes this record only.
        report[db.transaction(() => writeRecord(prepared))()] += 1;
      } catch (error) {
        report.rejected.push({ line: prepared.line, reason: (error as Error).message });
      }
    }
  });

  let batch: PreparedRecord[] = [];
  const flush = () => {
    // IMMEDIATE: take the write lock up front (waiting up to busy_timeout) rather than failing
    // when another process writes between this transaction's first read and its first write.
    if (batch.length > 0 && !dryRun) writeBatch.immediate(batch);
    if (dryRun)
      for (const prepared of batch) report[articles.findIdentity(prepared.sectionId, prepared.record.slug) ? 'updated' : 'inserted'] += 1;
    batch = [];
    options.onProgress?.({
      read: report.read,
      inserted: report.inserted,
      updated: report.updated,
      unchanged: report.unchanged,
      rejected: report.rejected.length,
    });
  };

  for await (const raw of records) {
    if (options.signal?.aborted) {
      report.interrupted = true;
      break;
    }
    report.read += 1;
    if ('error' in raw) {
      report.rejected.push({ line: raw.line, reason: raw.error });
      continue;
    }
    const parsed = articleImportRecordSchema.safeParse(raw.value, { reportInput: true });
    if (!parsed.success) {
      report.rejected.push({ line: raw.line, reason: describeImportIssues(parsed.error.issues) });
      continue;
    }
    const record = parsed.data;
    const section = sections.findByPath(record.section);
    if (!section) {
      report.rejected.push({ line: raw.line, reason: unknownSectionMessage(record.section, knownSections()) });
      continue;
    }
    const storyKey = `${section.id}/${record.slug.toLowerCase()}`;
    const firstLine = firstLines.get(storyKey);
    if (firstLine !== undefined) {
      report.rejected.push({
        line: raw.line,
        reason: `the same story as line ${firstLine} (section ${section.path}, slug ${record.slug}): a file may give each story only once`,
      });
      continue;
    }
    firstLines.set(storyKey, raw.line);
    const files = await preparePhotos(photoStore, photoReferences(record), options.baseDir, dryRun);
    if (typeof files === 'string') {
      report.rejected.push({ line: raw.line, reason: files });
      continue;
    }
    batch.push({ line: raw.line, record: { ...record, section: section.path }, sectionId: section.id, photos: files });
    if (batch.length >= BATCH_SIZE) flush();
  }
  flush();
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}
