import type { Db } from '../db/open-database';

export type PhotoFormat = 'jpeg' | 'png' | 'webp';

/** What is known of a photo's file: its hash (its name in the photo folder), format and size. */
export type StoredPhotoFile = {
  sha256: string;
  format: PhotoFormat;
  width: number;
  height: number;
  bytes: number;
};

export type PhotoRow = StoredPhotoFile & {
  id: number;
  alt: string;
  caption: string;
  credit: string;
};

export type PhotoInput = StoredPhotoFile & { alt: string; caption: string; credit: string };

export function createPhotoRepository(db: Db) {
  const byId = db.prepare<[number], PhotoRow>(
    'SELECT id, sha256, format, width, height, bytes, alt, caption, credit FROM photos WHERE id = ?',
  );
  const upsert = db.prepare<PhotoInput>(
    `INSERT INTO photos (sha256, format, width, height, bytes, alt, caption, credit)
     VALUES (@sha256, @format, @width, @height, @bytes, @alt, @caption, @credit)
     ON CONFLICT (sha256, alt, caption, credit) DO NOTHING`,
  );
  const idOf = db
    .prepare<PhotoInput, number>('SELECT id FROM photos WHERE sha256 = @sha256 AND alt = @alt AND caption = @caption AND credit = @credit')
    .pluck();

  return {
    findById: (id: number): PhotoRow | undefined => byId.get(id),
    /** The photo row for this file with these words, created the first time it is used. */
    upsert(input: PhotoInput): number {
      upsert.run(input);
      return idOf.get(input)!;
    },
  };
}

export type PhotoRepository = ReturnType<typeof createPhotoRepository>;
