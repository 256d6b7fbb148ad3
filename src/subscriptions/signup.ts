import type { Config } from '../config';
import type { Db } from '../db/open-database';
import { createMailOutboxRepository } from '../mail/mail-outbox-repository';
import { createOfferRepository } from '../site/offers-repository';
import { createSubscriptionRepository } from './subscriptions-repository';
import type { SignupForm } from './signup-form';
import { CONSENT_TEXT_VERSION, consentText } from './consent-text';
import { hashConfirmationToken, newConfirmationToken, type FormTokens } from '../http/form-tokens';
import { composeMail, type MailKind } from './mail-messages';
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
  const mail = (kind: MailKind, id: number, email: string, confirmToken?: string) =>
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

  const confirmationExpiry = (now: Date) => new Date(now.getTime() + CONFIRMATION_HOURS * 3600_000).toISOString();

  // A sign-up for an address we already know never changes its subscription by itself: the poster
  // may not be its owner. Exactly one mail goes to the address, and the subscription's state, name,
  // plan, consents and earlier confirmation link stay as they were until the owner confirms.
  const signUp = db.transaction((form: SignupForm, context: { ip: string; sourcePage: string; now: Date }) => {
    const now = context.now.toISOString();
    const consent = {
      text_version: CONSENT_TEXT_VERSION,
      text: consentText(config.siteName),
      given_at: now,
      source_page: context.sourcePage,
      ip_hash: tokens.hashIp(context.ip),
    };
    const existing = subscriptions.findByEmail(form.email);
    if (!existing) {
      const { token, hash } = newConfirmationToken();
      const id = subscriptions.insertPending({
        name: form.name,
        plan: form.plan,
        hash,
        expires: confirmationExpiry(context.now),
        now,
        email: form.email,
      });
      subscriptions.addConsent({ subscription_id: id, ...consent });
      outbox.enqueue(mail('confirm', id, form.email, token), now);
      return;
    }
    const unchanged = existing.name === form.name && existing.plan_code === form.plan;
    if (existing.status === 'confirmed' && unchanged) {
      outbox.enqueue(mail('already-subscribed', existing.id, existing.email), now);
      return;
    }
    const { token, hash } = newConfirmationToken();
    subscriptions.addSignupRequest({
      subscription_id: existing.id,
      name: form.name,
      plan_code: form.plan,
      token_hash: hash,
      expires_at: confirmationExpiry(context.now),
      consent_text_version: consent.text_version,
      consent_text: consent.text,
      consent_source_page: consent.source_page,
      consent_ip_hash: consent.ip_hash,
      created_at: now,
    });
    // Pending or unsubscribed: confirming subscribes with these details; confirmed: it changes them.
    outbox.enqueue(mail(existing.status === 'confirmed' ? 'confirm-changes' : 'confirm', existing.id, existing.email, token), now);
  });

  const confirm = db.transaction((token: string, now: Date): ConfirmationState | 'confirmed' => {
    const state = confirmationState(token, now);
    if (state !== 'ready') return state;
    const hash = hashConfirmationToken(token);
    const subscription = subscriptions.findByConfirmTokenHash(hash);
    if (subscription) {
      subscriptions.confirm(subscription.id, now.toISOString());
      outbox.enqueue(mail('welcome', subscription.id, subscription.email), now.toISOString());
      return 'confirmed';
    }
    const request = subscriptions.findSignupRequestByTokenHash(hash)!;
    const before = subscriptions.findById(request.subscription_id)!;
    subscriptions.applySignupRequest(request, now.toISOString());
    subscriptions.addConsent({
      subscription_id: request.subscription_id,
      text_version: request.consent_text_version,
      text: request.consent_text,
      given_at: request.created_at,
      source_page: request.consent_source_page,
      ip_hash: request.consent_ip_hash,
    });
    if (before.status !== 'confirmed') outbox.enqueue(mail('welcome', before.id, before.email), now.toISOString());
    return 'confirmed';
  });

  // The newsroom resends the confirmation mail of a subscription still pending: a new link (the
  // old one stops working) and its mail, in one transaction.
  const resendConfirmation = db.transaction((id: number, now: Date): boolean => {
    const subscription = subscriptions.findById(id);
    if (!subscription || subscription.status !== 'pending') return false;
    const { token, hash } = newConfirmationToken();
    subscriptions.renewConfirmation({ id, hash, expires: confirmationExpiry(now), now: now.toISOString() });
    outbox.enqueue(mail('confirm', id, subscription.email, token), now.toISOString());
    return true;
  });

  function confirmationState(token: string, now: Date): ConfirmationState {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return 'invalid';
    const hash = hashConfirmationToken(token);
    const subscription = subscriptions.findByConfirmTokenHash(hash);
    if (subscription) {
      if (subscription.status !== 'pending') return 'invalid';
      return subscription.confirm_expires_at! <= now.toISOString() ? 'expired' : 'ready';
    }
    const request = subscriptions.findSignupRequestByTokenHash(hash);
    if (!request) return 'invalid';
    return request.expires_at <= now.toISOString() ? 'expired' : 'ready';
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
    /**
     * Mails a pending subscriber a new confirmation link (from the newsroom); false when the
     * subscription is not pending. Counted against the address's sign-up limit, so that nobody is
     * mailed more often than sign-ups could mail them.
     */
    resendConfirmation(id: number, now: Date): boolean {
      const subscription = subscriptions.findById(id);
      if (!subscription || subscription.status !== 'pending') return false;
      limiter.consume(SIGNUPS_PER_ADDRESS, subscription.email.toLowerCase(), now.getTime());
      return resendConfirmation.immediate(id, now);
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
