import type { Db } from '../db/open-database';

export type SubscriptionStatus = 'pending' | 'confirmed' | 'unsubscribed';

export type SubscriptionRow = {
  id: number;
  email: string;
  name: string;
  plan_code: string;
  status: SubscriptionStatus;
  confirm_token_hash: string | null;
  confirm_expires_at: string | null;
  created_at: string;
  updated_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  /** When a mail to it was refused for good (an SMTP 5xx); the review is not sent to it then. */
  bounced_at: string | null;
};

export type ConsentWrite = {
  subscription_id: number;
  text_version: string;
  text: string;
  given_at: string;
  source_page: string;
  ip_hash: string;
};

export type SubscriberExportRow = SubscriptionRow & {
  consent_version: string | null;
  consent_given_at: string | null;
  consent_source: string | null;
};

export function createSubscriptionRepository(db: Db) {
  // In any letter case (migration 0019's index): one reader, however they typed their address.
  const byEmail = db.prepare<[string], SubscriptionRow>('SELECT * FROM subscriptions WHERE lower(email) = lower(?)');
  const byId = db.prepare<[number], SubscriptionRow>('SELECT * FROM subscriptions WHERE id = ?');
  const byTokenHash = db.prepare<[string], SubscriptionRow>('SELECT * FROM subscriptions WHERE confirm_token_hash = ?');
  const insert = db.prepare<{ email: string; name: string; plan: string; hash: string; expires: string; now: string }>(
    `INSERT INTO subscriptions (email, name, plan_code, status, confirm_token_hash, confirm_expires_at, created_at, updated_at)
     VALUES (@email, @name, @plan, 'pending', @hash, @expires, @now, @now)`,
  );
  const addRequest = db.prepare<SignupRequestWrite>(
    `INSERT INTO signup_requests (subscription_id, name, plan_code, token_hash, expires_at, consent_text_version, consent_text,
       consent_source_page, consent_ip_hash, created_at)
     VALUES (@subscription_id, @name, @plan_code, @token_hash, @expires_at, @consent_text_version, @consent_text,
       @consent_source_page, @consent_ip_hash, @created_at)`,
  );
  const requestByTokenHash = db.prepare<[string], SignupRequestRow>('SELECT * FROM signup_requests WHERE token_hash = ?');
  // The owner confirmed new details from the mail: they apply, and the subscription is confirmed.
  const applyRequest = db.prepare<{ id: number; name: string; plan: string; now: string }>(
    `UPDATE subscriptions SET status = 'confirmed', name = @name, plan_code = @plan, updated_at = @now,
       confirmed_at = coalesce(CASE WHEN status = 'confirmed' THEN confirmed_at END, @now),
       unsubscribed_at = NULL, confirm_token_hash = NULL, confirm_expires_at = NULL, bounced_at = NULL
     WHERE id = @id`,
  );
  const clearRequests = db.prepare<[number]>('DELETE FROM signup_requests WHERE subscription_id = ?');
  const confirm = db.prepare<{ id: number; now: string }>(
    `UPDATE subscriptions SET status = 'confirmed', confirmed_at = @now, updated_at = @now,
       confirm_token_hash = NULL, confirm_expires_at = NULL, bounced_at = NULL
     WHERE id = @id AND status = 'pending'`,
  );
  const unsubscribe = db.prepare<{ id: number; now: string }>(
    `UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = @now, updated_at = @now,
       confirm_token_hash = NULL, confirm_expires_at = NULL
     WHERE id = @id AND status != 'unsubscribed'`,
  );
  // A new link for a subscription still waiting for its owner: the old link stops working.
  const renewConfirmation = db.prepare<{ id: number; hash: string; expires: string; now: string }>(
    `UPDATE subscriptions SET confirm_token_hash = @hash, confirm_expires_at = @expires, updated_at = @now
     WHERE id = @id AND status = 'pending'`,
  );
  const addConsent = db.prepare<ConsentWrite>(
    `INSERT INTO consents (subscription_id, text_version, text, given_at, source_page, ip_hash)
     VALUES (@subscription_id, @text_version, @text, @given_at, @source_page, @ip_hash)`,
  );
  const exportRows = db.prepare<{ status: string | null }, SubscriberExportRow>(
    `SELECT s.*, c.text_version AS consent_version, c.given_at AS consent_given_at, c.source_page AS consent_source
     FROM subscriptions s
     LEFT JOIN consents c ON c.id = (SELECT max(id) FROM consents WHERE subscription_id = s.id)
     WHERE @status IS NULL OR s.status = @status ORDER BY s.id`,
  );
  const eraseMail = db.prepare<[string]>('DELETE FROM mail_outbox WHERE lower(to_address) = lower(?)');
  const countConsents = db
    .prepare<[string], number>(
      'SELECT count(*) FROM consents WHERE subscription_id IN (SELECT id FROM subscriptions WHERE lower(email) = lower(?))',
    )
    .pluck();
  // Consent records go with their subscription (ON DELETE CASCADE).
  const eraseSubscription = db.prepare<[string]>('DELETE FROM subscriptions WHERE lower(email) = lower(?)');
  const storedAddresses = db.prepare<[string], string>('SELECT email FROM subscriptions WHERE lower(email) = lower(?)').pluck();
  const eraseTransaction = db.transaction((email: string): ErasedCounts => {
    const addresses = storedAddresses.all(email);
    const consents = countConsents.get(email)!;
    const mails = eraseMail.run(email).changes;
    return { addresses, subscriptions: eraseSubscription.run(email).changes, consents, mails };
  });

  return {
    findByEmail: (email: string) => byEmail.get(email),
    findById: (id: number) => byId.get(id),
    findByConfirmTokenHash: (hash: string) => byTokenHash.get(hash),
    insertPending: (row: { email: string; name: string; plan: string; hash: string; expires: string; now: string }): number =>
      Number(insert.run(row).lastInsertRowid),
    addSignupRequest: (row: SignupRequestWrite) => void addRequest.run(row),
    findSignupRequestByTokenHash: (hash: string) => requestByTokenHash.get(hash),
    /** Applies confirmed new details and drops every request waiting for that subscription. */
    applySignupRequest(request: SignupRequestRow, now: string): void {
      applyRequest.run({ id: request.subscription_id, name: request.name, plan: request.plan_code, now });
      clearRequests.run(request.subscription_id);
    },
    confirm: (id: number, now: string): boolean => confirm.run({ id, now }).changes === 1,
    unsubscribe: (id: number, now: string): boolean => unsubscribe.run({ id, now }).changes === 1,
    renewConfirmation: (row: { id: number; hash: string; expires: string; now: string }): boolean =>
      renewConfirmation.run(row).changes === 1,
    addConsent: (consent: ConsentWrite) => void addConsent.run(consent),
    listForExport: (status: string | null): SubscriberExportRow[] => exportRows.all({ status }),
    /** Removes everything kept about one address, in any letter case: subscription, consents, mail. */
    erase: (email: string): ErasedCounts => eraseTransaction.immediate(email),
  };
}

export type SubscriptionRepository = ReturnType<typeof createSubscriptionRepository>;
export type SignupRequestWrite = {
  subscription_id: number;
  name: string;
  plan_code: string;
  token_hash: string;
  expires_at: string;
  consent_text_version: string;
  consent_text: string;
  consent_source_page: string;
  consent_ip_hash: string;
  created_at: string;
};
export type SignupRequestRow = SignupRequestWrite & { id: number };
/** What an erasure removed: the addresses as they were stored, and how many rows of each kind. */
export type ErasedCounts = { addresses: string[]; subscriptions: number; consents: number; mails: number };
