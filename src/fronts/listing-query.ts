import { z } from 'zod';

// `?page=N` on fronts and topic pages. Express hands `?page=1&page=2` over as an array, which is
// refused here like any other non-number. Other parameters (utm_source and the like) are ignored.
export const pageParam = z
  .string({ error: 'must be a single whole number' })
  .regex(/^[1-9][0-9]{0,3}$/, 'must be a whole number from 1 to 9999')
  .transform(Number);

export const listingQuerySchema = z.object({ page: pageParam.optional() });
