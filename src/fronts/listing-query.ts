import { z } from 'zod';

// `?page=N` on fronts and topic pages. Express hands `?page=1&page=2` over as an array, which is
// refused here like any other non-number. Parameters no page reads (utm_source and the like) never
// get here: the front door redirects them away (delivery/canonical-address.ts).

/**
 * How far back a listing pages: 100 pages of 20 is 2,000 stories. Deeper pages cost more the
 * deeper they go (a section's subsections are merged and sorted up to the page), and nobody reads
 * them; older stories are found by search, and crawlers have the sitemaps.
 */
export const MAX_LISTING_PAGE = 100;

export const pageParam = z
  .string({ error: 'must be a single whole number' })
  .regex(/^[1-9][0-9]{0,3}$/, 'must be a whole number from 1 to 9999')
  .transform(Number);

export const listingQuerySchema = z.object({
  page: pageParam
    .refine((page) => page <= MAX_LISTING_PAGE, `goes back at most ${MAX_LISTING_PAGE} pages; search the archive for older stories`)
    .optional(),
});
