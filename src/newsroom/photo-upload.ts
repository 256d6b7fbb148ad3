import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';

// Reads a multipart photo upload: one file, a few text fields, within the configured size. The
// file is held in memory (it is at most PHOTO_UPLOAD_MB), and an over-long one is reported, not cut.

export type PhotoUpload = {
  fields: Record<string, string>;
  file: { data: Buffer; mimeType: string; fileName: string } | null;
  tooLarge: boolean;
};

export function readPhotoUpload(req: IncomingMessage, maxBytes: number): Promise<PhotoUpload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 4_000, parts: 12 } });
    } catch (error) {
      return reject(Object.assign(new Error('This upload could not be read.'), { status: 400, cause: error }));
    }
    const fields: Record<string, string> = {};
    let file: PhotoUpload['file'] = null;
    let tooLarge = false;
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        tooLarge = true;
      });
      stream.on('end', () => {
        const data = Buffer.concat(chunks);
        if (data.length > 0 || info.filename) file = { data, mimeType: info.mimeType, fileName: info.filename ?? '' };
      });
    });
    parser.on('error', (error) => reject(Object.assign(new Error('This upload could not be read.'), { status: 400, cause: error })));
    parser.on('close', () => resolve({ fields, file, tooLarge }));
    req.pipe(parser);
  });
}
