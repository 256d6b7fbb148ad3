import type { Db } from '../db/open-database';
import type { SubscriberExportRow, SubscriptionRow, SubscriptionStatus } from './subscriptions-repository';

// What the newsroom's subscriber pages read: the list (an address search, status and plan
// filters, pages), counts, one subscriber's consent history, and the CSV export in batches by id,
// so that a million rows are never held at once and the one connection is never left busy
// between batches (a better-sqlite3 iterator would keep it so while the response drains).

export type SubscriberFilter = { q?: string; status?: SubscriptionStatus; plan?: string };
export type ConsentRow = { id: number; text_version: string; text: string; given_at: string; source_page: string };
export type PendingRequestRow = { id: number; name: string; plan_code: string; created_at: string; expires_at: string };

const WHERE = `(@status IS NULL OR s.status = @status) AND (@plan IS NULL OR s.plan_code = @plan)
  AND (@q IS NULL OR lower(s.email) LIKE '%' || @q || '%' ESCAPE '\\')`;

/** The filter as statement parameters: the address search in lower case, LIKE's wildcards escaped. */
const parameters = (filter: SubscriberFilter) => ({
  status: filter.status ?? null,
  plan: filter.plan ?? null,
  q: filter.q ? filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`) : null,
});

export function createSubscriberAdminRepository(db: Db) {
  const page = db.prepare<ReturnType<typeof parameters> & { limit: number; offset: number }, SubscriptionRow>(
    `SELECT s.* FROM subscriptions s WHERE ${WHERE} ORDER BY s.id DESC LIMIT @limit OFFSET @offset`,
  );
  const count = db.prepare<ReturnType<typeof parameters>, number>(`SELECT count(*) FROM subscriptions s WHERE ${WHERE}`).pluck();
  const counts = db.prepare<[], { status: SubscriptionStatus; plan_code: string; n: number }>(
    'SELECT status, plan_code, count(*) AS n FROM subscriptions GROUP BY status, plan_code ORDER BY status, plan_code',
  );
  const consents = db.prepare<[number], ConsentRow>(
    'SELECT id, text_version, text, given_at, source_page FROM consents WHERE subscription_id = ? ORDER BY given_at, id',
  );
  const pendingRequests = db.prepare<[number], PendingRequestRow>(
    'SELECT id, name, plan_code, created_at, expires_at FROM signup_requests WHERE subscription_id = ? ORDER BY id',
  );
  const exportBatch = db.prepare<ReturnType<typeof parameters> & { after: number; limit: number }, SubscriberExportRow>(
    `SELECT s.*, c.text_version AS consent_version, c.given_at AS consent_given_at, c.source_page AS consent_source
     FROM subscriptions s
     LEFT JOIN consents c ON c.id = (SELECT max(id) FROM consents WHERE subscription_id = s.id)
     WHERE s.id > @after AND ${WHERE} ORDER BY s.id LIMIT @limit`,
  );

  return {
    page: (filter: SubscriberFilter, limit: number, offset: number): SubscriptionRow[] =>
      page.all({ ...parameters(filter), limit, offset }),
    count: (filter: SubscriberFilter): number => count.get(parameters(filter))!,
    /** How many subscribers each status and plan has. */
    countsByStatusAndPlan: () => counts.all(),
    consents: (subscriptionId: number): ConsentRow[] => consents.all(subscriptionId),
    /** Changes asked for by sign-up and waiting for the owner's confirmation. */
    pendingRequests: (subscriptionId: number): PendingRequestRow[] => pendingRequests.all(subscriptionId),
    /** The next `limit` rows of an export after id `after`, in id order. */
    exportBatch: (filter: SubscriberFilter, after: number, limit: number): SubscriberExportRow[] =>
      exportBatch.all({ ...parameters(filter), after, limit }),
  };
}

export type SubscriberAdminRepository = ReturnType<typeof createSubscriberAdminRepository>;
