import { z } from 'zod';

// The promo form of /admin/promos, checked at the edge. Times are typed in UTC to the minute, as
// the story editor's "Publish at" is; a promo then starts and ends on a whole minute, which is
// also when the pages that show promos are made again.

export const PROMO_PLACEMENTS = [{ value: 'sidebar', label: 'Sidebar, beside the story and on fronts' }] as const;

const MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

const text = (label: string, max: number, required = true) => {
  const base = z.string({ error: `Write the ${label}` }).trim();
  return (required ? base.min(1, `Write the ${label}`) : base).max(
    max,
    `The ${label} has at most ${max.toLocaleString('en-US')} characters`,
  );
};

const utcMinute = (label: string) =>
  z
    .string({ error: `Give the time it ${label}, such as 2026-12-24T10:00 (UTC)` })
    .trim()
    .refine((value) => value === '' || (MINUTE.test(value) && !Number.isNaN(Date.parse(`${value}:00Z`))), {
      message: `Give the time it ${label}, such as 2026-12-24T10:00 (UTC)`,
    })
    .transform((value) => (value === '' ? null : new Date(`${value}:00Z`).toISOString()));

/** A form field that may come once, many times or not at all (checkboxes): always a list. */
const manyIds = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
  .pipe(
    z
      .array(
        z
          .string()
          .regex(/^\d{1,9}$/, 'Choose sections from the list')
          .transform(Number),
      )
      .max(200, 'Choose fewer sections'),
  );

export const promoFormSchema = z
  .object({
    seriesName: text('series name', 80),
    tagline: text('tagline', 200, false),
    headline: text('headline', 200),
    summary: text('summary', 600, false),
    link: z
      .string({ error: 'Give the address on this site it links to, starting with /' })
      .trim()
      .max(500, 'A link has at most 500 characters')
      .regex(/^\/(?!\/)[^\s\\]*$/, 'Give the address on this site it links to, starting with / (such as /World/2026/1204/A-story)'),
    photo: z
      .string()
      .trim()
      .regex(/^(\d{1,9})?$/, 'Give the number of a photo in the library, or leave it empty')
      .transform((value) => (value === '' ? null : Number(value))),
    placement: z.enum(PROMO_PLACEMENTS.map((p) => p.value) as ['sidebar'], { error: 'Choose where the promo shows' }),
    sections: manyIds,
    startsAt: utcMinute('starts').refine((value) => value !== null, 'Give the time it starts, such as 2026-12-24T10:00 (UTC)'),
    endsAt: utcMinute('ends'),
    weight: z
      .string({ error: 'Give a weight from 1 to 1,000' })
      .trim()
      .regex(/^\d{1,4}$/, 'Give a weight from 1 to 1,000')
      .transform(Number)
      .refine((value) => value >= 1 && value <= 1000, 'Give a weight from 1 to 1,000'),
  })
  .refine((form) => form.endsAt === null || form.endsAt > form.startsAt!, {
    path: ['endsAt'],
    message: 'The end must come after the start',
  });

export type PromoForm = z.output<typeof promoFormSchema>;

/** The form's fields in page order, with their labels (SITE.md's names) and input ids. */
export const PROMO_FIELDS = {
  seriesName: 'Series name',
  tagline: 'Tagline',
  headline: 'Headline',
  summary: 'Summary',
  link: 'Link',
  photo: 'Photo',
  placement: 'Placement',
  sections: 'Sections',
  startsAt: 'Starts at',
  endsAt: 'Ends at',
  weight: 'Weight',
} as const;

export type PromoFormValues = Record<Exclude<keyof typeof PROMO_FIELDS, 'sections'>, string> & { sections: number[] };

/** What the form shows again after a refusal: the text as typed, cut to a sane length. */
export function promoFormValues(body: Record<string, unknown>): PromoFormValues {
  const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).slice(0, 1000) : '');
  const sections = body.sections === undefined ? [] : Array.isArray(body.sections) ? body.sections : [body.sections];
  return {
    seriesName: field('seriesName'),
    tagline: field('tagline'),
    headline: field('headline'),
    summary: field('summary'),
    link: field('link'),
    photo: field('photo'),
    placement: field('placement'),
    startsAt: field('startsAt'),
    endsAt: field('endsAt'),
    weight: field('weight'),
    sections: sections
      .filter((id): id is string => typeof id === 'string' && /^\d{1,9}$/.test(id))
      .map(Number)
      .slice(0, 200),
  };
}
