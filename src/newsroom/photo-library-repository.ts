import type { Db } from '../db/open-database';
import type { PhotoRow } from '../photos/photos-repository';

// The newsroom's photo library: searching it, and whether a photo is in use (a story's hero or
// inline photo, a promo's), since a photo in use is never deleted.

export type LibraryPhotoRow = PhotoRow & { createdAt: string };

export function createPhotoLibraryRepository(db: Db) {
  const where = `WHERE (@q IS NULL OR alt LIKE '%' || @q || '%' ESCAPE '\\' OR caption LIKE '%' || @q || '%' ESCAPE '\\'
    OR credit LIKE '%' || @q || '%' ESCAPE '\\')`;
  const list = db.prepare<{ q: string | null; limit: number; offset: number }, LibraryPhotoRow>(
    `SELECT id, sha256, format, width, height, bytes, alt, caption, credit, created_at AS createdAt FROM photos ${where}
     ORDER BY id DESC LIMIT @limit OFFSET @offset`,
  );
  const count = db.prepare<{ q: string | null }, number>(`SELECT count(*) FROM photos ${where}`).pluck();
  const uses = db
    .prepare<{ id: number }, number>(
      `SELECT (SELECT count(*) FROM articles WHERE hero_photo_id = @id)
            + (SELECT count(*) FROM article_inline_photos WHERE photo_id = @id)
            + (SELECT count(*) FROM promos WHERE photo_id = @id)`,
    )
    .pluck();
  const remove = db.prepare<[number]>('DELETE FROM photos WHERE id = ?');
  const escape = (q: string | undefined) => (q ? q.replace(/[\\%_]/g, (c) => `\\${c}`) : null);
  return {
    list: (q: string | undefined, limit: number, offset: number): LibraryPhotoRow[] => list.all({ q: escape(q), limit, offset }),
    count: (q: string | undefined): number => count.get({ q: escape(q) })!,
    /** How many stories and promos use the photo. */
    uses: (id: number): number => uses.get({ id })!,
    remove: (id: number): void => void remove.run(id),
  };
}

export type PhotoLibraryRepository = ReturnType<typeof createPhotoLibraryRepository>;
