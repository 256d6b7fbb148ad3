// Builds a large database of generated articles for benchmarks: a vocabulary whose word
// frequencies follow Zipf's law (as natural text does), ~600-word bodies, spread over the seed
// sections and ten years. Deterministic: the same seed gives the same database.
import { seedDatabase } from '../seed/seed-database';
import type { Db } from '../src/db/open-database';
import { PhotoStore } from '../src/photos/photo-store';

/** A small, fast, seedable PRNG (mulberry32). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ter',
  'san',
  'po',
  're',
  'vin',
  'dal',
  'or',
  'ne',
  'tu',
  'bra',
  'sel',
  'mon',
  'qui',
  'fa',
  'gen',
  'hol',
  'ri',
  'es',
  'an',
  'cor',
  'lu',
  'pe',
  'stra',
  'di',
  'wen',
  'ya',
  'zo',
];

export type Vocabulary = { words: string[]; sample: () => string };

/** `size` distinct words; sample() draws them with probability proportional to 1/rank^1.07. */
export function createVocabulary(random: () => number, size = 40_000): Vocabulary {
  const words = new Set<string>();
  while (words.size < size) {
    const syllables = 1 + Math.floor(random() * 3.2);
    let word = '';
    for (let i = 0; i < syllables; i += 1) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(word);
  }
  const list = [...words].sort((a, b) => a.length - b.length || (random() < 0.5 ? -1 : 1));
  const cumulative = new Float64Array(list.length);
  let total = 0;
  for (let rank = 0; rank < list.length; rank += 1) {
    total += 1 / Math.pow(rank + 1, 1.07);
    cumulative[rank] = total;
  }
  const sample = () => {
    const target = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return list[lo]!;
  };
  return { words: list, sample };
}

function sentence(vocabulary: Vocabulary, random: () => number, words: number): string {
  const parts: string[] = [];
  for (let i = 0; i < words; i += 1) parts.push(vocabulary.sample());
  const text = parts.join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}${random() < 0.1 ? '?' : '.'}`;
}

/** The vocabulary every benchmark database is written with (the same every time). */
export const benchVocabulary = (): Vocabulary => createVocabulary(createRandom(20130629));

/**
 * Seeds the site, then adds `count` generated published articles (through the same triggers that
 * keep the search index), in transactions of 1,000. Returns the vocabulary used.
 */
export async function generateCorpus(
  db: Db,
  photoStore: PhotoStore,
  count: number,
  onProgress?: (done: number) => void,
): Promise<Vocabulary> {
  await seedDatabase(db, photoStore);
  const vocabulary = benchVocabulary();
  const random = createRandom(1);
  const sections = db.prepare('SELECT id, path FROM sections').all() as { id: number; path: string }[];
  const photoIds = db.prepare('SELECT id FROM photos').pluck().all() as number[];
  const insert = db.prepare(
    `INSERT INTO articles (section_id, slug, headline, deck, byline, source, credit_line, body_json, body_text, hero_photo_id,
       status, published_at, updated_at, content_hash)
     VALUES (@section_id, @slug, @headline, @deck, @byline, '', '', @body_json, @body_text, @hero_photo_id, 'published', @published_at, NULL, 'generated')`,
  );
  const start = Date.parse('2014-01-01T00:00:00Z');
  const span = Date.parse('2024-01-01T00:00:00Z') - start;
  const insertBatch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i += 1) {
      const paragraphs: string[] = [];
      let words = 0;
      while (words < 600) {
        const sentences = 2 + Math.floor(random() * 3);
        const paragraph: string[] = [];
        for (let s = 0; s < sentences; s += 1) {
          const length = 8 + Math.floor(random() * 18);
          paragraph.push(sentence(vocabulary, random, length));
          words += length;
        }
        paragraphs.push(paragraph.join(' '));
      }
      const headline = sentence(vocabulary, random, 6 + Math.floor(random() * 6)).replace(/[.?]$/, '');
      const body = paragraphs.map((text) => ({ type: 'paragraph', inlines: [{ type: 'text', text }] }));
      insert.run({
        section_id: sections[Math.floor(random() * sections.length)]!.id,
        slug: `Generated-story-${i + 1}`,
        headline,
        deck: sentence(vocabulary, random, 14 + Math.floor(random() * 10)),
        byline: 'Bench Writer, Staff writer',
        body_json: JSON.stringify(body),
        body_text: paragraphs.join('\n\n'),
        hero_photo_id: random() < 0.4 && photoIds.length > 0 ? photoIds[Math.floor(random() * photoIds.length)]! : null,
        published_at: new Date(start + Math.floor((i / count) * span)).toISOString(),
      });
    }
  });
  for (let from = 0; from < count; from += 1000) {
    insertBatch(from, Math.min(count, from + 1000));
    onProgress?.(Math.min(count, from + 1000));
  }
  return vocabulary;
}

export { PhotoStore };
