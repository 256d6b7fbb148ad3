import type { Db } from '../db/open-database';
import type { StoredPhotoFile } from '../services/photo-store';

export type PhotoRow = StoredPhotoFile & {
  id: number;
  alt: string;
  caption: string;
  credit: string;
};

export type PhotoInput = StoredPhotoFile & { alt: string; caption: string; credit: string };

export function createPhotoRepository(db: Db) {
  const byId = db.prepare<[number], PhotoRow>('SELECT id, sha256, format, width, height, bytes, alt, caption, credit FROM photos WHERE id = ?');
  const upsert = db.prepare<PhotoInput>(
    `INSERT INTO photos (sha256, format, width, height, bytes, alt, caption, credit)
     VALUES (@sha256, @format, @width, @height, @bytes, @alt, @caption, @credit)
     ON CONFLICT (sha256) DO UPDATE SET alt = excluded.alt, caption = excluded.caption, credit = excluded.credit
     WHERE alt IS NOT excluded.alt OR caption IS NOT excluded.caption OR credit IS NOT excluded.credit`,
  );
  const idBySha = db.prepare<[string], number>('SELECT id FROM photos WHERE sha256 = ?').pluck();

  return {
    findById: (id: number): PhotoRow | undefined => byId.get(id),
    /** Stores a photo's record by the hash of its file; a second import updates its words only. */
    upsert(input: PhotoInput): number {
      upsert.run(input);
      return idBySha.get(input.sha256)!;
    },
  };
}

export type PhotoRepository = ReturnType<typeof createPhotoRepository>;
