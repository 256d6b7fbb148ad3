import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export type Asset = { body: Buffer; contentType: string; etag: string };

/**
 * The static assets, read once at start-up and served from memory under fingerprinted names
 * ("site.3f2a9c1b.css"): a changed file gets a new URL, so every URL can be cached for a year.
 */
export class AssetManifest {
  private readonly byFingerprintedName = new Map<string, Asset>();
  private readonly urlByName = new Map<string, string>();

  constructor(dir: string) {
    for (const name of fs.readdirSync(dir)) {
      const ext = path.extname(name);
      const contentType = CONTENT_TYPES[ext];
      if (!contentType) continue;
      const body = fs.readFileSync(path.join(dir, name));
      const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
      const fingerprinted = `${path.basename(name, ext)}.${hash}${ext}`;
      this.byFingerprintedName.set(fingerprinted, { body, contentType, etag: `"${hash}"` });
      this.urlByName.set(name, `/assets/${fingerprinted}`);
    }
  }

  /** The public URL of an asset by its source name ("site.css"). */
  url(name: string): string {
    const url = this.urlByName.get(name);
    if (!url) throw new Error(`No asset named ${name}`);
    return url;
  }

  find(fingerprintedName: string): Asset | undefined {
    return this.byFingerprintedName.get(fingerprintedName);
  }
}
