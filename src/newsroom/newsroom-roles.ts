import { ForbiddenError } from '../errors';
import type { NewsroomSession } from './newsroom-sessions';
import type { Role } from './newsroom-users-repository';

// Roles, checked on the server for every action: a writer writes and edits their own drafts, an
// editor does anything to any story, an admin does all of that and runs accounts and the offer.

const RANK: Record<Role, number> = { writer: 0, editor: 1, admin: 2 };

/** Whether `role` may do what `needed` may: admin ⊃ editor ⊃ writer. */
export const roleAtLeast = (role: Role, needed: Role): boolean => RANK[role] >= RANK[needed];

/** Refuses (403) a session whose role is below `needed`. */
export function requireRole(session: NewsroomSession, needed: Role): void {
  if (!roleAtLeast(session.user.role, needed)) {
    throw new ForbiddenError(`This needs the ${needed} role; you are signed in as ${session.user.role}.`);
  }
}
