import { z } from 'zod';
import { pageParam } from '../fronts/listing-query';

// GET /search?q=&section=&from=&to=&sort=relevance|newest&page=
// Every parameter is a single string: Express hands a repeated parameter over as an array, which
// is refused. Empty strings (an untouched filter in the form) mean "not set".
const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const single = (what: string) => z.string({ error: `must be a single ${what}` });

const day = single('date')
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'is not a real date');

export const searchQuerySchema = z
  .object({
    // Long queries are cut by the compiler with a note, not refused.
    q: single('search text').default(''),
    section: z.preprocess(
      emptyToUndefined,
      single('section')
        .regex(/^[A-Za-z0-9][A-Za-z0-9-]*(\/[A-Za-z0-9][A-Za-z0-9-]*)?$/, 'must be a section such as World/Europe')
        .optional(),
    ),
    from: z.preprocess(emptyToUndefined, day.optional()),
    to: z.preprocess(emptyToUndefined, day.optional()),
    sort: z.preprocess(
      emptyToUndefined,
      z.enum(['relevance', 'newest'], { error: 'must be "relevance" or "newest"' }).default('relevance'),
    ),
    page: z.preprocess(emptyToUndefined, pageParam.default(1)),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'must not be after "to"', path: ['from'] });

export type SearchQuery = z.infer<typeof searchQuerySchema>;
