import zlib from 'node:zlib';
import fc from 'fast-check';
import { deflatePiece, gzipFromPieces, storedPiece } from '../../src/delivery/gzip-pieces';

// Pieces compressed apart and joined in any order must make one valid gzip body of the joined
// text: that is what lets an article page be sent compressed without compressing it per request.

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 3000 }),
  // Repetitive text, as HTML is, so that pieces hold real back-references.
  fc.array(fc.constantFrom('<div class="story">', '</div>', 'Korea ', 'Moscow ', '\n'), { maxLength: 2000 }).map((parts) => parts.join('')),
);

test('compressed and stored pieces, in any order, gunzip to the joined text', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(text, fc.boolean()), { maxLength: 8 }), (parts) => {
      const plain = parts.map(([part]) => Buffer.from(part));
      const pieces = parts.map(([, stored], i) => (stored ? storedPiece(plain[i]!) : deflatePiece(plain[i]!)));
      const body = Buffer.concat(gzipFromPieces(pieces, plain));
      expect(zlib.gunzipSync(body).equals(Buffer.concat(plain))).toBe(true);
    }),
    { numRuns: 200 },
  );
});

test('a stored piece longer than one stored block (65,535 bytes) is split into several', () => {
  const large = Buffer.alloc(150_000, 'x');
  const body = Buffer.concat(gzipFromPieces([deflatePiece(Buffer.from('a')), storedPiece(large)], [Buffer.from('a'), large]));
  expect(zlib.gunzipSync(body).length).toBe(150_001);
});

test('a wrong trailer is caught by gunzip: the CRC-32 covers the page', () => {
  const plain = [Buffer.from('<p>one</p>'), Buffer.from('<p>two</p>')];
  const body = Buffer.concat(gzipFromPieces(plain.map(deflatePiece), [plain[0]!, Buffer.from('<p>TWO</p>')]));
  expect(() => zlib.gunzipSync(body)).toThrow();
});
