import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { NotFoundError } from '../errors';
import { AccountError } from './newsroom-accounts';
import { newsroomSession } from './newsroom-request';
import { buildNewsroomChrome } from './newsroom-chrome';
import { addUserFormSchema, changeUserFormSchema, fieldErrors } from './newsroom-forms';
import { requireRole } from './newsroom-roles';
import { ROLES } from './newsroom-users-repository';

// /admin/users (admin only): add people, change their role, disable and enable them.

const userId = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31);
const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: role[0]!.toUpperCase() + role.slice(1) }));

type UsersForm = {
  values: { email: string; role: string };
  errors: Record<string, string>;
  generalError: string | null;
  notice: { text: string; link?: string } | null;
};

export function createUsersRouter(deps: AppDeps): Router {
  const router = Router();
  const { page, newsroom } = deps;

  function render(req: Request, res: Response, status: number, form: UsersForm) {
    const session = newsroomSession(res.locals);
    res.status(status).render('newsroom/users', {
      view: {
        title: 'Users',
        chrome: buildNewsroomChrome(page, session, '/admin/users'),
        roles: ROLE_OPTIONS,
        users: newsroom.users.list().map((user) => ({
          id: user.id,
          email: user.email,
          role: user.role,
          disabled: user.disabledAt !== null,
          state: user.disabledAt !== null ? 'disabled' : user.passwordHash === null ? 'invited, no password yet' : 'active',
        })),
        ...form,
      },
    });
  }

  router.get('/admin/users', (req, res) => {
    requireRole(newsroomSession(res.locals), 'admin');
    render(req, res, 200, { values: { email: '', role: 'writer' }, errors: {}, generalError: null, notice: null });
  });

  router.post('/admin/users', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'admin');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = {
      email: typeof body.email === 'string' ? body.email.slice(0, 254) : '',
      role: typeof body.role === 'string' ? body.role : '',
    };
    const parsed = addUserFormSchema.safeParse(body);
    if (!parsed.success) return render(req, res, 422, { values, errors: fieldErrors(parsed.error), generalError: null, notice: null });
    try {
      const { user, setupUrl } = newsroom.invite(session.user, parsed.data.email, parsed.data.role, deps.nowMs());
      void deps.mailSender.wake();
      render(req, res, 201, {
        values: { email: '', role: 'writer' },
        errors: {},
        generalError: null,
        notice: { text: `Added ${user.email} as ${user.role}. We have mailed them a link to choose a password.`, link: setupUrl },
      });
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      render(req, res, 422, { values, errors: { email: error.message }, generalError: null, notice: null });
    }
  });

  router.post('/admin/users/:id', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'admin');
    const id = userId.safeParse(req.params.id);
    const parsed = changeUserFormSchema.safeParse(req.body ?? {});
    if (!id.success || !newsroom.users.findById(id.data)) throw new NotFoundError('There is no such account.');
    const blank = { values: { email: '', role: 'writer' }, errors: {}, notice: null };
    if (!parsed.success) return render(req, res, 422, { ...blank, generalError: 'Choose writer, editor or admin.' });
    try {
      const disabled = parsed.data.disabled === undefined ? undefined : parsed.data.disabled === 'yes';
      newsroom.changeUser(session.user, id.data, { role: parsed.data.role, disabled }, deps.nowMs());
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      return render(req, res, 422, { ...blank, generalError: error.message });
    }
    res.redirect(303, '/admin/users');
  });

  return router;
}
