import fs from 'node:fs';
import path from 'node:path';

/**
 * Creates a folder and its missing parents, one level at a time. (Node 20's recursive mkdirSync
 * can loop for ever on some paths, such as one under /proc.)
 */
export function ensureDirectory(dir: string): void {
  if (fs.existsSync(dir)) return;
  const parent = path.dirname(dir);
  if (parent !== dir) ensureDirectory(parent);
  fs.mkdirSync(dir);
}
