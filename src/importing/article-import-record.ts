import { z } from 'zod';

// One article as editors hand it to `npm run import`: JSON array or NDJSON, one object each.
// Paragraphs are strings in which [[shown text|topic-slug]] marks a topic link.

const slug = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'use letters, digits and hyphens, starting with a letter or digit');
const sectionPath = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*(\/[A-Za-z0-9][A-Za-z0-9-]*)?$/, 'a section path such as "World" or "World/Asia-Pacific"');
const isoDateTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());
const line = (max: number) => z.string().trim().max(max);
const nonEmptyLine = (max: number) => line(max).min(1);
// Links inside an article stay on the site: a path, never a scheme or a protocol-relative URL.
const sitePath = z
  .string()
  .max(500)
  .regex(/^\/(?!\/)[^\s\\]*$/, 'a path on this site starting with a single "/"');

export const photoReferenceSchema = z.strictObject({
  file: z.string().min(1).max(300),
  alt: nonEmptyLine(300),
  caption: line(1000).default(''),
  credit: line(200).default(''),
});

const paragraphSchema = z.string().trim().min(1, 'empty paragraph').max(20_000);
const inlinePhotoSchema = z.strictObject({ photo: photoReferenceSchema });
const relatedLinksSchema = z.strictObject({
  related: z.strictObject({
    title: nonEmptyLine(120).default('Related stories'),
    links: z
      .array(z.strictObject({ text: nonEmptyLine(300), href: sitePath }))
      .min(1)
      .max(10),
  }),
});

export const articleImportRecordSchema = z.strictObject({
  section: sectionPath,
  slug,
  headline: nonEmptyLine(300),
  deck: line(600).default(''),
  byline: line(200).default(''),
  source: line(100).default(''),
  credit_line: line(500).default(''),
  status: z.enum(['draft', 'published']).default('published'),
  published_at: isoDateTime,
  updated_at: isoDateTime.optional(),
  old_slugs: z.array(slug).max(20).default([]),
  topics: z
    .array(
      z.strictObject({
        slug: z
          .string()
          .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
          .max(80),
        name: nonEmptyLine(120),
      }),
    )
    .max(50)
    .default([]),
  hero_photo: photoReferenceSchema.optional(),
  body: z
    .array(z.union([paragraphSchema, inlinePhotoSchema, relatedLinksSchema]))
    .min(1)
    .max(500),
});

export type ArticleImportRecord = z.infer<typeof articleImportRecordSchema>;
export type PhotoReference = z.infer<typeof photoReferenceSchema>;
