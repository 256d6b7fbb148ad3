import { z } from 'zod';

// The sign-up form (on /subscribe and in the offer panel). Every field must be a single string:
// a repeated field arrives as an array and is refused with a message beside that field.

// The address syntax browsers accept in <input type="email"> (WHATWG), with a dotted domain.
const EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;

const single = (message: string) => z.string({ error: message });

/** Trims the address and lower-cases its domain (the local part may be case-sensitive). */
export function normaliseEmail(raw: string): string {
  const trimmed = raw.trim();
  const at = trimmed.lastIndexOf('@');
  return at === -1 ? trimmed : `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
}

export const signupFormSchema = z.object({
  email: single('Enter your email address')
    .transform(normaliseEmail)
    .pipe(
      z
        .string()
        .min(1, 'Enter your email address')
        .max(254, 'An email address can be at most 254 characters long')
        .refine((email) => email.indexOf('@') <= 64, 'The part before the @ can be at most 64 characters long')
        .refine((email) => EMAIL.test(email), 'Enter an email address like name@example.com'),
    ),
  name: z.preprocess(
    (value) => value ?? '',
    single('Enter your name as text')
      .trim()
      .max(100, 'Your name can be at most 100 characters long')
      .refine((name) => !/[\p{Cc}<>]/u.test(name), 'Your name cannot contain < or > or control characters'),
  ),
  plan: single('Choose an edition').min(1, 'Choose an edition').max(40, 'Choose an edition'),
  consent: z.literal('yes', { error: 'Tick the box to agree to receive the newsletter' }),
});

export type SignupForm = z.infer<typeof signupFormSchema>;
export type SignupField = keyof SignupForm;
export const SIGNUP_FIELDS: readonly SignupField[] = ['email', 'name', 'plan', 'consent'];

/** The page the form was sent from: a path on this site, for the consent record. */
export const sourcePageSchema = z
  .string()
  .max(300)
  .regex(/^\/(?!\/)[A-Za-z0-9\-._~/%]*$/)
  .catch('/subscribe');
