import { z } from 'zod';

// The weekly review's newsroom forms, checked at the edge.

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
export const issueDateSchema = z
  .string({ error: 'Give the date of the issue, such as 2026-12-04' })
  .trim()
  .refine((value) => isoDate.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), {
    message: 'Give the date of the issue, such as 2026-12-04',
  });

const subject = z
  .string({ error: 'Write a subject line' })
  .trim()
  .min(1, 'Write a subject line')
  .max(200, 'A subject line has at most 200 characters')
  .refine((value) => !/[\p{Cc}]/u.test(value), 'A subject line cannot hold control characters');

export const newIssueFormSchema = z.object({ issueDate: issueDateSchema, subject });

export const issueEditFormSchema = z.object({
  subject,
  introduction: z.string({ error: 'Write the introduction as text' }).max(5000, 'The introduction has at most 5,000 characters'),
});

export const sendAtSchema = z
  .string({ error: 'Give a date and time such as 2026-12-24T10:00 (UTC)' })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Give a date and time such as 2026-12-24T10:00 (UTC)')
  .refine((value) => !Number.isNaN(Date.parse(`${value}:00Z`)), 'Give a date and time such as 2026-12-24T10:00 (UTC)')
  .transform((value) => new Date(`${value}:00Z`).toISOString());

export const NEWSLETTER_ACTIONS = ['save', 'test', 'schedule', 'send', 'unschedule'] as const;
export const newsletterActionSchema = z.enum(NEWSLETTER_ACTIONS, { error: 'Choose one of the buttons' });

/** The story rows of the edit form: order_{articleId} (a number) and leave_out_{articleId}. */
export function storyRows(body: Record<string, unknown>, articleIds: readonly number[]) {
  const errors: Record<string, string> = {};
  const stories = articleIds.map((articleId) => {
    const raw = body[`order_${articleId}`];
    const position = typeof raw === 'string' && /^\d{1,4}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (Number.isNaN(position)) errors[`order_${articleId}`] = 'Give the story a place in the order: a whole number';
    return { articleId, position, leftOut: body[`leave_out_${articleId}`] === 'yes' };
  });
  return { stories, errors };
}
