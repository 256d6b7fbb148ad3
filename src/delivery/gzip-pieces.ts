import zlib from 'node:zlib';

// A gzip body joined from pieces compressed ahead of time, so that a page made of stored parts
// (an article: its section's layout around the story's stored head and main) is sent compressed
// without compressing anything per request. This is how CDNs join compressed fragments (ESI).
//
// A gzip member (RFC 1952) is a header, one DEFLATE stream (RFC 1951) and a trailer with the
// CRC-32 and length of the uncompressed data. A DEFLATE stream is a run of blocks; the last has
// its BFINAL bit set. Each piece is compressed on its own and ended with a sync flush: its blocks
// are not final and it ends on a byte boundary, and it refers back only into itself, so pieces
// can follow one another in any order. The stream is then closed with an empty final block.

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03]); // deflate, no name or time, Unix
/** An empty final block with fixed Huffman codes: BFINAL=1, BTYPE=01, then the end-of-block code. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
const MAX_STORED_BLOCK = 0xffff;

/** `data` compressed as DEFLATE blocks that other pieces may follow. */
export function deflatePiece(data: Buffer): Buffer {
  return zlib.deflateRawSync(data, { level: 6, finishFlush: zlib.constants.Z_SYNC_FLUSH });
}

/** `data` as uncompressed ("stored") DEFLATE blocks: for a few bytes that differ per page. */
export function storedPiece(data: Buffer): Buffer {
  const blocks: Buffer[] = [];
  for (let at = 0; at < data.length || blocks.length === 0; at += MAX_STORED_BLOCK) {
    const chunk = data.subarray(at, at + MAX_STORED_BLOCK);
    const header = Buffer.alloc(5); // BFINAL=0, BTYPE=00 (stored), then LEN and its one's complement
    header.writeUInt16LE(chunk.length, 1);
    header.writeUInt16LE(~chunk.length & 0xffff, 3);
    blocks.push(header, chunk);
  }
  return Buffer.concat(blocks);
}

/**
 * A whole gzip member, as chunks to write in order: the header, the compressed pieces, the final
 * block and the trailer. `plain` is the uncompressed page, in the same order, for the trailer.
 */
export function gzipFromPieces(pieces: readonly Buffer[], plain: readonly Buffer[]): Buffer[] {
  let crc = 0;
  let length = 0;
  for (const chunk of plain) {
    // zlib's crc32() takes a null buffer as "start over" and returns 0; an empty Buffer may be one.
    if (chunk.length === 0) continue;
    crc = zlib.crc32(chunk, crc);
    length += chunk.length;
  }
  const trailer = Buffer.alloc(10);
  FINAL_BLOCK.copy(trailer, 0);
  trailer.writeUInt32LE(crc >>> 0, 2);
  trailer.writeUInt32LE(length % 2 ** 32, 6);
  return [GZIP_HEADER, ...pieces, trailer];
}
