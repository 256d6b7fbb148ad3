import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwords';
import { ROLES } from './newsroom-users-repository';

// The newsroom's account forms, checked at the edge. Messages are shown beside their fields.

const email = z
  .string({ error: 'Enter an email address' })
  .trim()
  .max(254, 'An address has at most 254 characters')
  .pipe(z.email({ error: 'Enter an email address like name@example.com' }));

export const signinFormSchema = z.object({
  email: z.string({ error: 'Enter your email address' }).trim().min(1, 'Enter your email address').max(254, 'Enter your email address'),
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password').max(MAX_PASSWORD_LENGTH, 'Enter your password'),
});

export const newPasswordSchema = z
  .string({ error: 'Choose a password' })
  .min(MIN_PASSWORD_LENGTH, `A password needs at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `A password can have at most ${MAX_PASSWORD_LENGTH} characters`);

export const addUserFormSchema = z.object({
  email,
  role: z.enum(ROLES, { error: 'Choose writer, editor or admin' }),
});

export const changeUserFormSchema = z.object({
  role: z.enum(ROLES, { error: 'Choose writer, editor or admin' }).optional(),
  disabled: z.enum(['yes', 'no']).optional(),
});

export const setPasswordFormSchema = z
  .object({ password: newPasswordSchema, confirm: z.string({ error: 'Type the password again' }) })
  .refine((form) => form.password === form.confirm, { path: ['confirm'], message: 'The two passwords are not the same' });

export const changePasswordFormSchema = z
  .object({
    current: z.string({ error: 'Enter your current password' }).min(1, 'Enter your current password').max(MAX_PASSWORD_LENGTH),
    password: newPasswordSchema,
    confirm: z.string({ error: 'Type the new password again' }),
  })
  .refine((form) => form.password === form.confirm, { path: ['confirm'], message: 'The two passwords are not the same' });

export const emailSchema = email;

/** zod's issues as one message per field: the first for each. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '');
    errors[field] ??= issue.message;
  }
  return errors;
}
