// The structured form of an article body. Bodies are stored as these blocks (never as HTML), and
// the templates escape every string in them, so nothing an editor types can inject markup.

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'topic'; text: string; slug: string }
  /** A link to another page of this site (a path, never another host). */
  | { type: 'link'; text: string; href: string };

export type BodyBlock =
  | { type: 'paragraph'; inlines: Inline[] }
  | { type: 'photo'; photoId: number }
  | { type: 'related'; title: string; links: { text: string; href: string }[] };

// Editors mark a topic link as [[shown text|topic-slug]], or [[Name]] when the slug is the name's.
const TOPIC_LINK = /\[\[([^[\]|]+?)(?:\|([^[\]|]+?))?\]\]/g;

/** Turns a name into the slug a topic page uses: "Kim Kye-gwan" → "kim-kye-gwan". */
export function slugifyTopic(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

/** Splits paragraph markup into text runs and topic links. */
export function parseParagraphMarkup(markup: string): Inline[] {
  const inlines: Inline[] = [];
  let last = 0;
  for (const match of markup.matchAll(TOPIC_LINK)) {
    const index = match.index ?? 0;
    if (index > last) inlines.push({ type: 'text', text: markup.slice(last, index) });
    const text = (match[1] ?? '').trim();
    const slug = slugifyTopic(match[2] ?? text);
    inlines.push(slug ? { type: 'topic', text, slug } : { type: 'text', text });
    last = index + match[0].length;
  }
  if (last < markup.length) inlines.push({ type: 'text', text: markup.slice(last) });
  return inlines;
}

/** The body as plain text, paragraph by paragraph: for descriptions, search and feeds. */
export function bodyPlainText(blocks: readonly BodyBlock[]): string {
  return blocks
    .filter((block): block is Extract<BodyBlock, { type: 'paragraph' }> => block.type === 'paragraph')
    .map((block) => block.inlines.map((inline) => inline.text).join(''))
    .join('\n\n');
}

/** Topic slugs linked from the body, in order of first appearance, with the text first used. */
export function linkedTopics(blocks: readonly BodyBlock[]): { slug: string; text: string }[] {
  const seen = new Map<string, string>();
  for (const block of blocks) {
    if (block.type !== 'paragraph') continue;
    for (const inline of block.inlines) {
      if (inline.type === 'topic' && !seen.has(inline.slug)) seen.set(inline.slug, inline.text);
    }
  }
  return [...seen].map(([slug, text]) => ({ slug, text }));
}
