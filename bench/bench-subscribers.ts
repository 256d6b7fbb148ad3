import type Database from 'better-sqlite3';
import { CONSENT_TEXT_VERSION } from '../src/subscriptions/consent-text';

// Generated subscribers for the benchmarks (the weekly review's send, the subscriber export):
// confirmed, each with a consent to the current text, which covers the review. In the caller's
// transaction.

export function writeConfirmedSubscribers(db: Database.Database, count: number, now: string): void {
  const subscription = db.prepare(
    `INSERT INTO subscriptions (email, name, plan_code, status, created_at, updated_at, confirmed_at) VALUES (?, ?, 'digital', 'confirmed', ?, ?, ?)`,
  );
  const consent = db.prepare(
    `INSERT INTO consents (subscription_id, text_version, text, given_at, source_page, ip_hash) VALUES (?, ?, 'Send me the weekly review', ?, '/subscribe', ?)`,
  );
  for (let i = 0; i < count; i++) {
    const id = subscription.run(`reader${i}@bench.example`, `Reader ${i}`, now, now, now).lastInsertRowid;
    consent.run(id, CONSENT_TEXT_VERSION, now, 'a'.repeat(64));
  }
}
