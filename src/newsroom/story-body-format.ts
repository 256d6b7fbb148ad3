import type { BodyBlock, Inline } from '../articles/article-body';

// The story body as editors type it: plain text, turned into the stored blocks and back, so that
// opening a story and saving it unchanged gives exactly the blocks it had.
//
//   Paragraphs are separated by a blank line.
//   [shown text](/topics/topic-slug) links a topic page; [shown text](/World/2013/0629/Slug) any
//   other page of this site. A literal [ or ] or \ is written \[ \] \\.
//   A line [photo 12] places library photo 12 (its alt text, caption and credit come with it).
//   A related-links box is a block that starts [related: Its title], then one link a line:
//     [related: Related stories]
//     - [Headline of the other story](/World/2013/0630/Other-story)

export const BODY_FORMAT_HELP = [
  'Paragraphs are separated by a blank line.',
  '[shown text](/topics/topic-slug) links a topic; [shown text](/World/2013/0629/Slug) links another page of this site. Write a literal [ ] or \\ as \\[ \\] \\\\.',
  'A line [photo 12] places photo 12 from the photo library.',
  'A related-links box: a line [related: Related stories], then one "- [text](/path)" line per link.',
];

const PHOTO_LINE = /^\[photo (\d{1,9})\]$/;
const RELATED_HEAD = /^\[related(?::\s*(.*?))?\]$/;
const RELATED_LINK = /^-\s*\[((?:\\.|[^\]\\])+)\]\((\/[^\s()]*)\)$/;
const LINK = /\[((?:\\.|[^\]\\])+)\]\((\/[^\s()]*)\)/g;
const TOPIC_PATH = /^\/topics\/([a-z0-9]+(?:-[a-z0-9]+)*)$/;
const SITE_PATH = /^\/(?!\/)[^\s\\]*$/;

const escapeText = (text: string) => text.replace(/[\\[\]]/g, (c) => `\\${c}`);
const unescapeText = (text: string) => text.replace(/\\([\\[\]])/g, '$1');

function formatInline(inline: Inline): string {
  if (inline.type === 'topic') return `[${escapeText(inline.text)}](/topics/${inline.slug})`;
  if (inline.type === 'link') return `[${escapeText(inline.text)}](${inline.href})`;
  return escapeText(inline.text);
}

/** The blocks as the editor's text. */
export function formatBody(blocks: readonly BodyBlock[]): string {
  return blocks
    .map((block) => {
      if (block.type === 'photo') return `[photo ${block.photoId}]`;
      if (block.type === 'related') {
        return [`[related: ${block.title}]`, ...block.links.map((link) => `- [${escapeText(link.text)}](${link.href})`)].join('\n');
      }
      return block.inlines.map(formatInline).join('');
    })
    .join('\n\n');
}

function parseParagraph(text: string): Inline[] | string {
  const inlines: Inline[] = [];
  let last = 0;
  const pushText = (raw: string) => {
    const value = unescapeText(raw);
    if (value === '') return;
    const previous = inlines[inlines.length - 1];
    if (previous?.type === 'text') previous.text += value;
    else inlines.push({ type: 'text', text: value });
  };
  for (const match of text.matchAll(LINK)) {
    const index = match.index ?? 0;
    pushText(text.slice(last, index));
    const shown = unescapeText(match[1]!).trim();
    const href = match[2]!;
    const topic = TOPIC_PATH.exec(href);
    if (shown === '') return `a link to ${href} has no text`;
    if (topic) inlines.push({ type: 'topic', text: shown, slug: topic[1]! });
    else if (SITE_PATH.test(href) && href.length <= 500) inlines.push({ type: 'link', text: shown, href });
    else return `${href} is not a path on this site`;
    last = index + match[0].length;
  }
  pushText(text.slice(last));
  if (/(^|[^\\])[[\]]/.test(text.replace(LINK, ''))) return 'a [ or ] that is not part of a link: write it as \\[ or \\]';
  return inlines;
}

/**
 * The editor's text as blocks, or the first problem, naming the paragraph. `photoExists` says
 * whether a library photo may be placed.
 */
export function parseBody(text: string, photoExists: (id: number) => boolean): { blocks: BodyBlock[] } | { error: string } {
  const chunks = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk !== '');
  if (chunks.length === 0) return { error: 'Write the story: the body is empty' };
  if (chunks.length > 500) return { error: 'A body has at most 500 paragraphs' };
  const blocks: BodyBlock[] = [];
  for (const [index, chunk] of chunks.entries()) {
    const where = `Paragraph ${index + 1}`;
    const photo = PHOTO_LINE.exec(chunk);
    if (photo) {
      const photoId = Number(photo[1]);
      if (!photoExists(photoId)) return { error: `${where}: there is no photo ${photoId} in the library` };
      blocks.push({ type: 'photo', photoId });
      continue;
    }
    const lines = chunk.split('\n').map((line) => line.trim());
    const related = RELATED_HEAD.exec(lines[0]!);
    if (related) {
      const links = [];
      for (const line of lines.slice(1)) {
        const link = RELATED_LINK.exec(line);
        if (!link || !SITE_PATH.test(link[2]!)) return { error: `${where}: each related link is a line "- [text](/path on this site)"` };
        links.push({ text: unescapeText(link[1]!).trim(), href: link[2]! });
      }
      if (links.length === 0 || links.length > 10) return { error: `${where}: a related box has one to ten links` };
      blocks.push({ type: 'related', title: (related[1] ?? '').trim() || 'Related stories', links });
      continue;
    }
    if (chunk.length > 20_000) return { error: `${where} is longer than 20,000 characters` };
    const inlines = parseParagraph(lines.join(' '));
    if (typeof inlines === 'string') return { error: `${where}: ${inlines}` };
    blocks.push({ type: 'paragraph', inlines });
  }
  return { blocks };
}
