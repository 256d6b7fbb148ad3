import type { PhotoRow } from '../photos/photos-repository';
import type { BodyBlock } from '../articles/article-body';
import { largestVariant } from '../site/view-models';
import { absoluteUrl, topicPath } from '../site/site-urls';

// An article body as an HTML fragment for feed readers (full content). Built from the stored
// blocks with every string escaped here, so it is HTML this server made itself.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

export function articleBodyHtml(blocks: readonly BodyBlock[], siteUrl: string, findPhoto: (id: number) => PhotoRow | undefined): string {
  return blocks
    .map((block) => {
      switch (block.type) {
        case 'paragraph':
          return `<p>${block.inlines
            .map((inline) =>
              inline.type === 'topic'
                ? `<a href="${escapeHtml(absoluteUrl(siteUrl, topicPath(inline.slug)))}">${escapeHtml(inline.text)}</a>`
                : inline.type === 'link'
                  ? `<a href="${escapeHtml(absoluteUrl(siteUrl, inline.href))}">${escapeHtml(inline.text)}</a>`
                  : escapeHtml(inline.text),
            )
            .join('')}</p>`;
        case 'photo': {
          const photo = findPhoto(block.photoId);
          if (!photo) return '';
          const image = largestVariant(photo);
          const caption = [photo.caption, photo.credit].filter(Boolean).map(escapeHtml).join(' ');
          return `<figure><img src="${escapeHtml(absoluteUrl(siteUrl, image.path))}" width="${image.width}" height="${image.height}" alt="${escapeHtml(photo.alt)}">${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>`;
        }
        case 'related':
          return `<aside><p><strong>${escapeHtml(block.title)}</strong></p><ul>${block.links
            .map((link) => `<li><a href="${escapeHtml(absoluteUrl(siteUrl, link.href))}">${escapeHtml(link.text)}</a></li>`)
            .join('')}</ul></aside>`;
      }
    })
    .join('\n');
}
