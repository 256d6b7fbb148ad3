// Reading Accept-Encoding (RFC 9110 §12.5.3) for the answers made before Express, which has its
// own (the compression middleware). "gzip;q=0" refuses gzip; "*" stands for any coding not named.

export type ContentCoding = 'br' | 'gzip';

/** Whether the client accepts `coding`: named with q > 0, or covered by "*" with q > 0. */
export function acceptsCoding(header: string | undefined, coding: ContentCoding): boolean {
  if (!header) return false;
  let wildcard: number | undefined;
  for (const item of header.split(',')) {
    const [name = '', ...params] = item.split(';');
    const token = name.trim().toLowerCase();
    if (token !== coding && token !== '*') continue;
    const qParam = params.map((param) => param.trim().toLowerCase()).find((param) => param.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    const weight = Number.isFinite(q) ? q : 0;
    if (token === coding) return weight > 0;
    wildcard = weight;
  }
  return (wildcard ?? 0) > 0;
}

/** The coding to send, of those offered in order of preference; null for the identity. */
export function chooseCoding(header: string | undefined, offered: readonly ContentCoding[]): ContentCoding | null {
  return offered.find((coding) => acceptsCoding(header, coding)) ?? null;
}
