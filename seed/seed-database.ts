import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Db } from '../src/db/open-database';
import { SEED_DIR } from '../src/project-paths';
import { createOfferRepository } from '../src/site/offers-repository';
import { createPhotoRepository } from '../src/photos/photos-repository';
import { createPromoRepository } from '../src/site/promos-repository';
import { createSectionRepository } from '../src/site/sections-repository';
import { photoReferenceSchema } from '../src/importing/article-import-record';
import { importArticles, type ImportReport } from '../src/importing/article-importer';
import { readImportRecords } from '../src/importing/import-file-reader';
import type { PhotoStore } from '../src/photos/photo-store';

const sectionsSchema = z.array(z.strictObject({ path: z.string(), name: z.string(), position: z.number().int(), description: z.string() }));
const offerSchema = z.strictObject({
  code: z.string(),
  name: z.string(),
  benefits: z.array(z.string()),
  pitch: z.string(),
  special_offer_label: z.string(),
  special_offer_text: z.string(),
  plans: z.array(
    z.strictObject({
      code: z.string(),
      name: z.string(),
      description: z.string(),
      price_cents: z.number().int(),
      currency: z.string(),
      period: z.string(),
    }),
  ),
});
const promosSchema = z.array(
  z.strictObject({
    code: z.string(),
    series_name: z.string(),
    series_tagline: z.string(),
    photo: photoReferenceSchema,
    headline: z.string(),
    summary: z.string(),
    link_url: z.string(),
    placement: z.string(),
    starts_at: z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString()),
    weight: z.number().int(),
  }),
);

function readSeedFile<T>(name: string, schema: z.ZodType<T>): T {
  return schema.parse(JSON.parse(fs.readFileSync(path.join(SEED_DIR, name), 'utf8')));
}

/**
 * Loads the seed site: sections, the offer, the promo and the articles (through the same importer
 * editors use). Idempotent: every write is an upsert that skips rows already as the seed has them,
 * so a second run changes nothing.
 */
export async function seedDatabase(db: Db, photoStore: PhotoStore): Promise<ImportReport> {
  const sections = readSeedFile('sections.json', sectionsSchema);
  const offer = readSeedFile('offer.json', offerSchema);
  const promos = readSeedFile('promos.json', promosSchema);

  const sectionRepository = createSectionRepository(db);
  db.transaction(() => sections.forEach((section) => sectionRepository.upsert(section)))();

  const { plans, benefits, ...offerFields } = offer;
  db.transaction(() =>
    createOfferRepository(db).upsert(
      { ...offerFields, benefits_json: JSON.stringify(benefits), active: 1 },
      plans.map((plan, position) => ({ ...plan, position })),
    ),
  )();

  const promoPhotos = await Promise.all(promos.map((promo) => photoStore.importFile(path.join(SEED_DIR, promo.photo.file))));
  const photoRepository = createPhotoRepository(db);
  const promoRepository = createPromoRepository(db);
  db.transaction(() =>
    promos.forEach(({ photo, ...promo }, index) => {
      const photoId = photoRepository.upsert({ ...promoPhotos[index]!, alt: photo.alt, caption: photo.caption, credit: photo.credit });
      promoRepository.upsert({ ...promo, photo_id: photoId, ends_at: null });
    }),
  )();

  const report = await importArticles(db, photoStore, readImportRecords(path.join(SEED_DIR, 'articles.json')), {
    baseDir: SEED_DIR,
  });
  if (report.rejected.length > 0) {
    throw new Error(`The seed articles have errors: ${report.rejected.map((r) => `line ${r.line}: ${r.reason}`).join('; ')}`);
  }
  return report;
}

/** True when the database has no articles yet: the first start seeds it. */
export function isEmptySite(db: Db): boolean {
  return db.prepare('SELECT NOT EXISTS (SELECT 1 FROM articles)').pluck().get() === 1;
}
