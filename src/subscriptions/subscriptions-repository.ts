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
  const byEmail = db.prepare<[string], SubscriptionRow>('SELECT * FROM subscriptions WHERE email = ?');
  const byId = db.prepare<[number], SubscriptionRow>('SELECT * FROM subscriptions WHERE id = ?');
  const byTokenHash = db.prepare<[string], SubscriptionRow>('SELECT * FROM subscriptions WHERE confirm_token_hash = ?');
  const insert = db.prepare<{ email: string; name: string; plan: string; hash: string; expires: string; now: string }>(
    `INSERT INTO subscriptions (email, name, plan_code, status, confirm_token_hash, confirm_expires_at, created_at, updated_at)
     VALUES (@email, @name, @plan, 'pending', @hash, @expires, @now, @now)`,
  );
  const restart = db.prepare<{ id: number; name: string; plan: string; hash: string; expires: string; now: string }>(
    `UPDATE subscriptions SET status = 'pending', name = @name, plan_code = @plan, confirm_token_hash = @hash,
       confirm_expires_at = @expires, updated_at = @now, unsubscribed_at = NULL
     WHERE id = @id`,
  );
  const confirm = db.prepare<{ id: number; now: string }>(
    `UPDATE subscriptions SET status = 'confirmed', confirmed_at = @now, updated_at = @now,
       confirm_token_hash = NULL, confirm_expires_at = NULL
     WHERE id = @id AND status = 'pending'`,
  );
  const unsubscribe = db.prepare<{ id: number; now: string }>(
    `UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = @now, updated_at = @now,
       confirm_token_hash = NULL, confirm_expires_at = NULL
     WHERE id = @id AND status != 'unsubscribed'`,
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
  const eraseMail = db.prepare<[string]>('DELETE FROM mail_outbox WHERE to_address = ?');
  const eraseSubscription = db.prepare<[string]>('DELETE FROM subscriptions WHERE email = ?');
  const eraseTransaction = db.transaction((email: string): number => eraseMail.run(email).changes + eraseSubscription.run(email).changes);

  return {
    findByEmail: (email: string) => byEmail.get(email),
    findById: (id: number) => byId.get(id),
    findByConfirmTokenHash: (hash: string) => byTokenHash.get(hash),
    insertPending: (row: { email: string; name: string; plan: string; hash: string; expires: string; now: string }): number =>
      Number(insert.run(row).lastInsertRowid),
    restartPending: (row: { id: number; name: string; plan: string; hash: string; expires: string; now: string }) => void restart.run(row),
    confirm: (id: number, now: string): boolean => confirm.run({ id, now }).changes === 1,
    unsubscribe: (id: number, now: string): boolean => unsubscribe.run({ id, now }).changes === 1,
    addConsent: (consent: ConsentWrite) => void addConsent.run(consent),
    listForExport: (status: string | null): SubscriberExportRow[] => exportRows.all({ status }),
    /** Removes everything kept about one address: subscription, consents, mail. Returns rows removed. */
    erase: (email: string): number => eraseTransaction.immediate(email),
  };
}

export type SubscriptionRepository = ReturnType<typeof createSubscriptionRepository>;
