import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { NotFoundError, TooManyRequestsError } from '../errors';
import { parseOrBadRequest } from '../http/parse-request';
import { buildNewsroomChrome } from '../newsroom/newsroom-chrome';
import { newsroomSession } from '../newsroom/newsroom-request';
import { requireRole } from '../newsroom/newsroom-roles';
import type { NewsroomSession } from '../newsroom/newsroom-sessions';
import type { SubscriberFilter } from './subscriber-admin-repository';
import { subscriberCsvHeader, subscriberCsvLine } from './subscriber-csv';
import type { SubscriptionRow } from './subscriptions-repository';

// /admin/subscribers (admins): the list with its search, filters and counts; one subscriber's
// consent history; resending a confirmation; the CSV export, streamed in batches; erasure after
// a confirmation step, doing what `npm run subscribers:erase` does. Every export and erasure is
// in the audit log, without the erased address.

const PAGE_SIZE = 50;
const EXPORT_BATCH = 1000;
const STATUSES = ['pending', 'confirmed', 'unsubscribed'] as const;

const filterQuery = z.object({
  q: z.string({ error: 'must be one search' }).trim().max(254, 'is too long').optional(),
  status: z.union([z.enum(STATUSES), z.literal('')], { error: 'must be pending, confirmed or unsubscribed' }).optional(),
  plan: z
    .string({ error: 'must be one plan' })
    .regex(/^[a-z0-9-]{0,40}$/, 'must be a plan code')
    .optional(),
  page: z.coerce.number({ error: 'must be a page number' }).int().min(1).max(100_000).default(1),
  notice: z.enum(['resent', 'erased', 'not-pending']).optional(),
});
const subscriberId = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31);

const filterOf = (query: z.output<typeof filterQuery>): SubscriberFilter => ({
  q: query.q || undefined,
  status: query.status || undefined,
  plan: query.plan || undefined,
});
const utc = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '');
const NOTICES = {
  resent: 'A new confirmation link is on its way to this subscriber. The earlier link no longer works.',
  erased: 'The subscriber is erased: their subscription, consent records and mail are gone.',
  'not-pending': 'Only a subscription waiting for confirmation can be sent a new confirmation link.',
} as const;

/** Waits until the response takes more (or the client has gone), leaving no listener behind. */
function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export function createSubscribersAdminRouter(deps: AppDeps): Router {
  const router = Router();
  const { page, subscriberAdmin, subscriptions, newsroom } = deps;

  const findSubscriber = (id: string | undefined): SubscriptionRow => {
    const parsed = subscriberId.safeParse(id);
    const row = parsed.success ? subscriptions.findById(parsed.data) : undefined;
    if (!row) throw new NotFoundError('There is no such subscriber. They may have been erased.');
    return row;
  };

  const planCodes = () => {
    const plans = new Set(subscriberAdmin.countsByStatusAndPlan().map((row) => row.plan_code));
    for (const code of deps.signups.planCodes()) plans.add(code);
    return [...plans].sort();
  };

  router.get('/admin/subscribers', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'admin');
    const query = parseOrBadRequest(filterQuery, req.query, 'subscriber list address');
    const filter = filterOf(query);
    const total = subscriberAdmin.count(filter);
    const totalPages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const at = (n: number) =>
      `/admin/subscribers?${new URLSearchParams({
        ...(filter.q ? { q: filter.q } : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.plan ? { plan: filter.plan } : {}),
        ...(n > 1 ? { page: String(n) } : {}),
      }).toString()}`;
    const counts = subscriberAdmin.countsByStatusAndPlan();
    const plans = planCodes();
    res.render('newsroom/subscribers', {
      view: {
        title: 'Subscribers',
        chrome: buildNewsroomChrome(page, session, '/admin/subscribers'),
        notice: query.notice === 'erased' ? NOTICES.erased : null,
        filter: { q: filter.q ?? '', status: filter.status ?? '', plan: filter.plan ?? '' },
        statuses: STATUSES,
        plans,
        counts: {
          plans,
          rows: STATUSES.map((status) => {
            const byPlan = plans.map((plan) => counts.find((row) => row.status === status && row.plan_code === plan)?.n ?? 0);
            return { status, byPlan, total: byPlan.reduce((a, b) => a + b, 0) };
          }),
        },
        total,
        subscribers: subscriberAdmin.page(filter, PAGE_SIZE, (query.page - 1) * PAGE_SIZE).map((row) => ({
          url: `/admin/subscribers/${row.id}`,
          email: row.email,
          name: row.name,
          plan: row.plan_code,
          status: row.status,
          bounced: row.bounced_at !== null,
          since: utc(row.created_at),
        })),
        pagination: {
          page: query.page,
          totalPages,
          previousUrl: query.page > 1 ? at(query.page - 1) : null,
          nextUrl: query.page < totalPages ? at(query.page + 1) : null,
        },
      },
    });
  });

  // Streamed: a batch of rows is read, written, and the next read only once the client has taken
  // it, so memory stays flat however many subscribers there are.
  router.get('/admin/subscribers/export.csv', async (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'admin');
    const filter = filterOf(parseOrBadRequest(filterQuery, req.query, 'export address'));
    newsroom.audit.add({
      at: deps.now(),
      userId: session.user.id,
      email: session.user.email,
      action: 'exported subscribers',
      subject: 'subscribers',
      detail: [filter.status && `status ${filter.status}`, filter.plan && `plan ${filter.plan}`, filter.q && 'an address search']
        .filter(Boolean)
        .join(', '),
    });
    res.set({
      // Not through the compression middleware: it hands "drain" to its zlib stream and never
      // takes a listener back, so waiting on it batch after batch piles listeners up.
      'Cache-Control': 'private, no-store, no-transform',
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="subscribers-${deps.now().slice(0, 10)}.csv"`,
    });
    res.write(subscriberCsvHeader());
    let after = 0;
    for (;;) {
      const rows = subscriberAdmin.exportBatch(filter, after, EXPORT_BATCH);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      if (!res.write(rows.map(subscriberCsvLine).join(''))) await drainedOrClosed(res);
      if (res.destroyed) return; // the admin went away: stop reading
    }
    res.end();
  });

  function renderSubscriber(res: Response, session: NewsroomSession, row: SubscriptionRow, notice: string | null, status = 200) {
    res.status(status).render('newsroom/subscriber', {
      view: {
        title: `Subscriber ${row.email}`,
        chrome: buildNewsroomChrome(page, session, '/admin/subscribers'),
        notice,
        subscriber: {
          id: row.id,
          email: row.email,
          name: row.name,
          plan: row.plan_code,
          status: row.status,
          created: utc(row.created_at),
          confirmed: utc(row.confirmed_at),
          unsubscribed: utc(row.unsubscribed_at),
          bounced: utc(row.bounced_at),
          confirmationExpires: row.status === 'pending' ? utc(row.confirm_expires_at) : '',
        },
        consents: subscriberAdmin.consents(row.id).map((consent) => ({
          given: utc(consent.given_at),
          version: consent.text_version,
          text: consent.text,
          source: consent.source_page,
        })),
        requests: subscriberAdmin.pendingRequests(row.id).map((request) => ({
          created: utc(request.created_at),
          expires: utc(request.expires_at),
          name: request.name,
          plan: request.plan_code,
        })),
        canResend: row.status === 'pending',
      },
    });
  }

  router.get('/admin/subscribers/:id', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'admin');
    const row = findSubscriber(req.params.id);
    const query = parseOrBadRequest(filterQuery, req.query, 'subscriber address');
    renderSubscriber(res, session, row, query.notice && query.notice !== 'erased' ? NOTICES[query.notice] : null);
  });

  router.post('/admin/subscribers/:id/resend', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'admin');
    const row = findSubscriber(req.params.id);
    let sent: boolean;
    try {
      sent = deps.signups.resendConfirmation(row.id, new Date(deps.nowMs()));
    } catch (error) {
      if (!(error instanceof TooManyRequestsError)) throw error;
      return renderSubscriber(res, session, row, `Not sent: ${error.message}`, 429);
    }
    if (sent) {
      newsroom.audit.add({
        at: deps.now(),
        userId: session.user.id,
        email: session.user.email,
        action: 'resent confirmation',
        subject: `subscriber ${row.id}`,
        detail: '',
      });
      void deps.mailSender.wake();
    }
    res.redirect(303, `/admin/subscribers/${row.id}?notice=${sent ? 'resent' : 'not-pending'}`);
  });

  router.get('/admin/subscribers/:id/erase', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'admin');
    const row = findSubscriber(req.params.id);
    res.render('newsroom/subscriber-erase', {
      view: {
        title: `Erase ${row.email}?`,
        chrome: buildNewsroomChrome(page, session, '/admin/subscribers'),
        subscriber: { id: row.id, email: row.email, consents: subscriberAdmin.consents(row.id).length },
      },
    });
  });

  router.post('/admin/subscribers/:id/erase', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'admin');
    const row = findSubscriber(req.params.id);
    // The erasure and its record in one transaction; the record names the row, never the address.
    deps.db
      .transaction(() => {
        const removed = subscriptions.erase(row.email);
        newsroom.audit.add({
          at: deps.now(),
          userId: session.user.id,
          email: session.user.email,
          action: 'erased subscriber',
          subject: `subscriber ${row.id}`,
          detail: `${removed.subscriptions} subscription, ${removed.consents} consent records, ${removed.mails} mails`,
        });
      })
      .immediate();
    res.redirect(303, '/admin/subscribers?notice=erased');
  });

  return router;
}
