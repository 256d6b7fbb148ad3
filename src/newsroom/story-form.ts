import { z } from 'zod';

// The story editor's form, checked at the edge. Its values come back into the form unchanged
// when something is wrong, so that nothing typed is lost.

export const STORY_ACTIONS = ['save', 'submit', 'publish', 'schedule', 'unpublish'] as const;
export type StoryAction = (typeof STORY_ACTIONS)[number];

/** The editor's fields as typed (strings), in the form and in a saved revision. */
export type StoryFormValues = {
  headline: string;
  deck: string;
  byline: string;
  source: string;
  creditLine: string;
  sectionId: string;
  slug: string;
  topics: string;
  heroPhoto: string;
  body: string;
  publishAt: string;
};

export const STORY_FIELDS: readonly (keyof StoryFormValues)[] = [
  'headline',
  'deck',
  'byline',
  'source',
  'creditLine',
  'sectionId',
  'slug',
  'topics',
  'heroPhoto',
  'body',
  'publishAt',
];

/** The fields' labels, as SITE.md names them (tests find the fields by them). */
export const STORY_LABELS: Record<keyof StoryFormValues, string> = {
  headline: 'Headline',
  deck: 'Deck',
  byline: 'Byline',
  source: 'Source',
  creditLine: 'Credit line',
  sectionId: 'Section',
  slug: 'Slug',
  topics: 'Topics',
  heroPhoto: 'Hero photo',
  body: 'Body',
  publishAt: 'Publish at',
};

const FORM_NAMES: Record<keyof StoryFormValues, string> = {
  headline: 'headline',
  deck: 'deck',
  byline: 'byline',
  source: 'source',
  creditLine: 'credit_line',
  sectionId: 'section',
  slug: 'slug',
  topics: 'topics',
  heroPhoto: 'hero_photo',
  body: 'body',
  publishAt: 'publish_at',
};
export const formName = (field: keyof StoryFormValues): string => FORM_NAMES[field];

/** The typed values from a posted body: every field a string, cut to a sane length. */
export function storyFormValues(body: Record<string, unknown>): StoryFormValues {
  const values = {} as StoryFormValues;
  for (const field of STORY_FIELDS) {
    const raw = body[FORM_NAMES[field]];
    values[field] = typeof raw === 'string' ? raw.slice(0, field === 'body' ? 250_000 : 5_000) : '';
  }
  return values;
}

const line = (max: number, label: string) => z.string().trim().max(max, `${label} has at most ${max} characters`);

export const storyFormSchema = z.object({
  headline: z.string().trim().min(1, 'Write a headline').max(300, 'A headline has at most 300 characters'),
  deck: line(600, 'The deck'),
  byline: line(200, 'The byline'),
  source: line(100, 'The source'),
  creditLine: line(500, 'The credit line'),
  sectionId: z.coerce.number({ error: 'Choose a section' }).int('Choose a section').positive('Choose a section'),
  slug: z
    .string()
    .trim()
    .max(200, 'A slug has at most 200 characters')
    .regex(/^([A-Za-z0-9][A-Za-z0-9-]*)?$/, 'Use letters, digits and hyphens, starting with a letter or digit'),
  topics: z
    .string()
    .transform((text) =>
      text
        .split(/\r?\n/)
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    )
    .pipe(z.array(z.string().max(120, 'A topic name has at most 120 characters')).max(50, 'A story has at most 50 topics')),
  heroPhoto: z
    .string()
    .trim()
    .regex(/^(\d{1,9})?$/, 'Give the number of a photo in the library, or leave it empty')
    .transform((value) => (value === '' ? null : Number(value))),
  body: z.string().max(250_000, 'The body is too long'),
  publishAt: z
    .string()
    .trim()
    .regex(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?)?$/, 'Give a date and time such as 2026-12-24T10:00 (UTC)')
    .transform((value) => (value === '' ? null : new Date(`${value.length === 16 ? `${value}:00` : value}Z`).toISOString())),
});

export type StoryForm = z.output<typeof storyFormSchema>;
export const storyActionSchema = z.enum(STORY_ACTIONS);
export const revisionSchema = z.coerce.number().int().min(0).max(1_000_000_000);

/** A slug made from a headline: "Is North Korea ready?" → "Is-North-Korea-ready". */
export function slugFromHeadline(headline: string): string {
  const words = headline
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    if ((slug ? slug.length + 1 : 0) + word.length > 80) break;
    slug = slug ? `${slug}-${word}` : word;
  }
  return slug || 'story';
}
