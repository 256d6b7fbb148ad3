import type { Config } from '../config';
import type { Db } from '../db/open-database';
import { createMailOutboxRepository } from '../mail/mail-outbox-repository';
import { createOfferRepository } from '../site/offers-repository';
import { createSubscriptionRepository } from './subscriptions-repository';
import type { SignupForm } from './signup-form';
import { CONSENT_TEXT_VERSION, consentText } from './consent-text';
import { hashConfirmationToken, newConfirmationToken, type FormTokens } from '../http/form-tokens';
import { composeMail } from './mail-messages';
import type { RateLimiter, RateLimit } from '../http/rate-limiter';
import { absoluteUrl } from '../site/site-urls';

// The sign-up flow without HTTP: sign up, confirm, unsubscribe. Each step writes the
// subscription, the consent record and the mail it causes in one transaction.

export const CONFIRMATION_HOURS = 48;
export const SIGNUPS_PER_ADDRESS: RateLimit = { name: 'signup-address', limit: 3, windowSeconds: 3600, scope: 'for this address' };

export type ConfirmationState = 'ready' | 'invalid' | 'expired' | 'already-confirmed';

export function createSignupService(db: Db, config: Config, tokens: FormTokens, limiter: RateLimiter) {
  const subscriptions = createSubscriptionRepository(db);
  const outbox = createMailOutboxRepository(db);
  const offers = createOfferRepository(db);

  const offerName = () => offers.findActive()?.name ?? config.siteName;
  const unsubscribeUrl = (id: number, email: string) =>
    absoluteUrl(config.siteUrl, `/subscribe/unsubscribe?token=${tokens.unsubscribeToken(id, email)}`);
  const mail = (kind: 'confirm' | 'welcome' | 'already-subscribed', id: number, email: string, confirmToken?: string) =>
    composeMail({
      kind,
      to: email,
      subscriptionId: id,
      siteName: config.siteName,
      siteUrl: config.siteUrl,
      offerName: offerName(),
      unsubscribeUrl: unsubscribeUrl(id, email),
      confirmUrl: confirmToken ? absoluteUrl(config.siteUrl, `/subscribe/confirm?token=${confirmToken}`) : undefined,
    });

  const signUp = db.transaction((form: SignupForm, context: { ip: string; sourcePage: string; now: Date }) => {
    const now = context.now.toISOString();
    const existing = subscriptions.findByEmail(form.email);
    let id: number;
    if (existing?.status === 'confirmed') {
      id = existing.id;
      outbox.enqueue(mail('already-subscribed', id, form.email), now);
    } else {
      // New, pending or unsubscribed: (re)start the double opt-in with a fresh single-use token.
      const { token, hash } = newConfirmationToken();
      const expires = new Date(context.now.getTime() + CONFIRMATION_HOURS * 3600_000).toISOString();
      const row = { name: form.name, plan: form.plan, hash, expires, now };
      if (existing) subscriptions.restartPending({ ...row, id: (id = existing.id) });
      else id = subscriptions.insertPending({ ...row, email: form.email });
      outbox.enqueue(mail('confirm', id, form.email, token), now);
    }
    subscriptions.addConsent({
      subscription_id: id,
      text_version: CONSENT_TEXT_VERSION,
      text: consentText(config.siteName),
      given_at: now,
      source_page: context.sourcePage,
      ip_hash: tokens.hashIp(context.ip),
    });
  });

  const confirm = db.transaction((token: string, now: Date): ConfirmationState | 'confirmed' => {
    const state = confirmationState(token, now);
    if (state !== 'ready') return state;
    const subscription = subscriptions.findByConfirmTokenHash(hashConfirmationToken(token))!;
    subscriptions.confirm(subscription.id, now.toISOString());
    outbox.enqueue(mail('welcome', subscription.id, subscription.email), now.toISOString());
    return 'confirmed';
  });

  function confirmationState(token: string, now: Date): ConfirmationState {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return 'invalid';
    const subscription = subscriptions.findByConfirmTokenHash(hashConfirmationToken(token));
    if (!subscription || subscription.status !== 'pending') return 'invalid';
    if (subscription.confirm_expires_at! <= now.toISOString()) return 'expired';
    return 'ready';
  }

  return {
    planCodes: (): string[] => {
      const offer = offers.findActive();
      return offer ? offers.listPlans(offer.id).map((plan) => plan.code) : [];
    },
    /** Records a sign-up. Every address gets the same outcome; only the mail differs. */
    signUp(form: SignupForm, context: { ip: string; sourcePage: string; now: Date }): void {
      limiter.consume(SIGNUPS_PER_ADDRESS, form.email.toLowerCase(), context.now.getTime());
      // IMMEDIATE: another worker's write between this read and write would otherwise fail at once.
      signUp.immediate(form, context);
    },
    /** What a confirmation link would do, without doing it (for the page the link opens). */
    confirmationState,
    confirm: (token: string, now: Date) => confirm.immediate(token, now),
    /** Unsubscribes the subscription a signed token names; repeating it is harmless. */
    unsubscribe(token: string, now: Date): boolean {
      const id = tokens.verifyUnsubscribeToken(token, (candidate) => subscriptions.findById(candidate)?.email);
      if (id === null) return false;
      subscriptions.unsubscribe(id, now.toISOString());
      return true;
    },
    isValidUnsubscribeToken: (token: string): boolean =>
      tokens.verifyUnsubscribeToken(token, (candidate) => subscriptions.findById(candidate)?.email) !== null,
  };
}

export type SignupService = ReturnType<typeof createSignupService>;
