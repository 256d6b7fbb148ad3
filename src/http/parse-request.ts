import type { z } from 'zod';
import { BadRequestError } from '../errors';

/**
 * Turns untrusted input into a typed value or a 400 that says what was wrong, in words a reader
 * can act on ("page: must be a whole number from 1 to 9999").
 */
export function parseOrBadRequest<T>(schema: z.ZodType<T>, input: unknown, what = 'request'): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    return field ? `${field}: ${issue.message}` : issue.message;
  });
  throw new BadRequestError(`The ${what} has a problem we could not work around.`, details);
}

/**
 * Refuses bracketed parameter names (`q[a]=1`, `q[]=1`): the site never uses them, and a reader
 * who sends them is told so rather than having them silently ignored.
 */
export function rejectNestedParameters(query: Record<string, unknown>, what = 'request'): void {
  const nested = Object.keys(query).filter((key) => key.includes('['));
  if (nested.length > 0) {
    throw new BadRequestError(
      `The ${what} has a problem we could not work around.`,
      nested.slice(0, 5).map((key) => `${key.slice(0, 40)}: nested parameters are not accepted`),
    );
  }
}
