import type { Db } from '../db/open-database';
import type { NewsroomAuditRepository } from '../newsroom/newsroom-audit-repository';
import { createOfferRepository, type OfferPlanRow, type OfferRow } from '../site/offers-repository';
import type { OfferForm } from './offer-form';

// Changing the subscription offer from the newsroom: the panel's words and the plans, written
// with the audit entry in one transaction. The offer's tables move the content version and queue
// the "offer" purge by their triggers (migrations 0014, 0022), so every page shows the change at
// once. Subscribers on a plan that is removed keep it; new sign-ups choose among the plans left.

export type OfferEditor = ReturnType<typeof createOfferEditor>;

const DEFAULT_CODE = 'weekly-review';

export function createOfferEditor(db: Db, audit: NewsroomAuditRepository) {
  const offers = createOfferRepository(db);

  const save = db.transaction((admin: { id: number; email: string }, form: OfferForm, now: string): void => {
    const current = offers.findActive();
    const code = current?.code ?? DEFAULT_CODE;
    offers.upsert(
      {
        code,
        name: form.name,
        benefits_json: JSON.stringify(form.benefits),
        pitch: form.pitch,
        special_offer_label: form.specialOfferLabel,
        special_offer_text: form.specialOfferText,
        active: 1,
      },
      form.plans.map((plan, position) => ({
        code: plan.code,
        name: plan.name,
        description: plan.description,
        price_cents: plan.price,
        currency: plan.currency,
        period: plan.period,
        position,
      })),
    );
    const saved = offers.findActive()!;
    const removed = offers.removePlansExcept(
      saved.id,
      form.plans.map((plan) => plan.code),
    );
    audit.add({
      at: now,
      userId: admin.id,
      email: admin.email,
      action: 'changed offer',
      subject: `offer ${saved.code}`,
      detail: `${form.plans.length} plans (${form.plans.map((plan) => plan.code).join(', ')})${removed > 0 ? `, ${removed} removed` : ''}`,
    });
  });

  return {
    /** The offer the panel shows now, with its plans; undefined when there is none yet. */
    current(): { offer: OfferRow; plans: OfferPlanRow[] } | undefined {
      const offer = offers.findActive();
      return offer && { offer, plans: offers.listPlans(offer.id) };
    },
    save: (admin: { id: number; email: string }, form: OfferForm, now: string): void => save.immediate(admin, form, now),
  };
}
