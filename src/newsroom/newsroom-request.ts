import { ForbiddenError } from '../errors';
import type { NewsroomSession } from './newsroom-sessions';

// What the newsroom's gate (newsroom-access-router.ts) leaves for the pages behind it, and the
// name of the session cookie: `__Host-` over HTTPS (Secure, Path=/, no Domain), plain otherwise.

export const sessionCookieName = (secure: boolean): string => (secure ? '__Host-newsroom' : 'newsroom');

/** The signed-in session of a request the gate let through to a closed page. */
export function newsroomSession(locals: Record<string, unknown>): NewsroomSession {
  const session = locals.newsroomSession as NewsroomSession | null | undefined;
  if (!session) throw new ForbiddenError('Sign in to the newsroom first.');
  return session;
}
