import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Sharp from 'sharp';
import { ensureDirectory } from '../db/ensure-directory';
import type { StoredPhotoFile } from './photos-repository';

export type VariantFormat = 'jpg' | 'webp';

// Widths offered in srcset; a photo also gets a variant at its own width when smaller than these.
export const VARIANT_WIDTHS = [320, 640, 1024, 1600] as const;
export const VARIANT_FORMATS: readonly VariantFormat[] = ['webp', 'jpg'];

const VARIANT_NAME = /^([0-9a-f]{64})-(\d{2,4})w\.(jpg|webp)$/;

/** The widths a photo of this width has variants at, ascending. */
export function variantWidthsFor(originalWidth: number): number[] {
  const widths: number[] = VARIANT_WIDTHS.filter((w) => w < originalWidth);
  if (originalWidth <= VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1]!) widths.push(originalWidth);
  return widths;
}

export function variantFileName(sha256: string, width: number, format: VariantFormat): string {
  return `${sha256}-${width}w.${format}`;
}

/** Parses a requested variant name; anything that is not exactly a variant name is null. */
export function parseVariantFileName(name: string): { sha256: string; width: number; format: VariantFormat } | null {
  const match = VARIANT_NAME.exec(name);
  if (!match) return null;
  return { sha256: match[1]!, width: Number(match[2]), format: match[3] as VariantFormat };
}

/**
 * Keeps photo files in one folder, named by the sha256 of their bytes, with resized JPEG and
 * WebP variants made on import. Files are written to a temporary name and renamed, so a reader
 * (or a second process importing the same photo) never sees half a file.
 */
/** A photo refused for what it is, with words for the person who sent it. */
export class PhotoRejected extends Error {}

// Loaded on first use: libvips costs some 20 MB of memory that web workers, which only serve
// files already made, never need.
const loadSharp = async () => (await import('sharp')).default as typeof Sharp;

export class PhotoStore {
  constructor(readonly dir: string) {}

  /** Copies a photo into the store, making its variants, and returns what it found out. */
  async importFile(sourcePath: string): Promise<StoredPhotoFile> {
    const sharp = await loadSharp();
    const data = await fs.promises.readFile(sourcePath);
    const meta = await sharp(data).metadata();
    const format = meta.format;
    if (format !== 'jpeg' && format !== 'png' && format !== 'webp') {
      throw new Error(`${path.basename(sourcePath)} is not a JPEG, PNG or WebP image`);
    }
    if (!meta.width || !meta.height) throw new Error(`${path.basename(sourcePath)} has no dimensions`);
    return this.store(data, format, meta.width, meta.height);
  }

  /**
   * A photo uploaded in the newsroom: it must be the JPEG, PNG or WebP it says it is, of at most
   * `maxPixels`, and it is stored re-encoded, upright and without its metadata (EXIF, GPS: where
   * a source stood is nobody's business). Throws PhotoRejected with words for the uploader.
   */
  async importUpload(data: Buffer, declaredType: string, maxPixels: number): Promise<StoredPhotoFile> {
    const sharp = await loadSharp();
    let meta: Sharp.Metadata;
    try {
      meta = await sharp(data).metadata();
    } catch {
      throw new PhotoRejected('This file is not an image we can read: upload a JPEG, PNG or WebP photo.');
    }
    const format = meta.format;
    if (format !== 'jpeg' && format !== 'png' && format !== 'webp') {
      throw new PhotoRejected('This file is not a JPEG, PNG or WebP photo.');
    }
    const declared = { 'image/jpeg': 'jpeg', 'image/jpg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' }[declaredType.toLowerCase()];
    if (declared !== format) {
      throw new PhotoRejected(
        `This file says it is ${declaredType || 'of no type'} but it is a ${format.toUpperCase()} image: save it again as what it is.`,
      );
    }
    const width = meta.autoOrient?.width ?? meta.width;
    const height = meta.autoOrient?.height ?? meta.height;
    if (!width || !height) throw new PhotoRejected('This image has no size.');
    // The header says how large the image would be once decoded: a small file can claim a huge one.
    if (width * height > maxPixels) {
      throw new PhotoRejected(
        `This image is ${width} × ${height} pixels; the most we take is ${Math.round(maxPixels / 1e6)} million pixels.`,
      );
    }
    let clean: Buffer;
    try {
      const upright = sharp(data, { limitInputPixels: maxPixels, failOn: 'error' }).rotate();
      clean = await (
        format === 'jpeg' ? upright.jpeg({ quality: 90 }) : format === 'png' ? upright.png() : upright.webp({ quality: 90 })
      ).toBuffer();
    } catch {
      throw new PhotoRejected('This image is damaged or incomplete: we could not decode it.');
    }
    return this.store(clean, format, width, height);
  }

  private async store(data: Buffer, format: 'jpeg' | 'png' | 'webp', width: number, height: number): Promise<StoredPhotoFile> {
    const sharp = await loadSharp();
    const sha256 = createHash('sha256').update(data).digest('hex');
    const meta = { width };
    ensureDirectory(this.dir);
    await this.writeOnce(path.join(this.dir, `${sha256}.${format}`), async () => data);
    for (const width of variantWidthsFor(meta.width)) {
      for (const variant of VARIANT_FORMATS) {
        await this.writeOnce(path.join(this.dir, variantFileName(sha256, width, variant)), () => {
          const resized = sharp(data).rotate().resize({ width, withoutEnlargement: true });
          return (variant === 'webp' ? resized.webp({ quality: 78 }) : resized.jpeg({ quality: 80, mozjpeg: true })).toBuffer();
        });
      }
    }
    return { sha256, format, width, height, bytes: data.length };
  }

  /** Whether that name is exactly a variant name and the file exists in the store. */
  hasVariant(name: string): boolean {
    return parseVariantFileName(name) !== null && fs.existsSync(path.join(this.dir, name));
  }

  private async writeOnce(file: string, produce: () => Promise<Buffer>): Promise<void> {
    if (fs.existsSync(file)) return;
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.promises.writeFile(temporary, await produce());
    await fs.promises.rename(temporary, file);
  }
}
