import type { Db } from '../db/open-database';

export type OfferRow = {
  id: number;
  code: string;
  name: string;
  benefits_json: string;
  pitch: string;
  special_offer_label: string;
  special_offer_text: string;
  active: number;
};

export type OfferPlanRow = {
  id: number;
  offer_id: number;
  code: string;
  name: string;
  description: string;
  price_cents: number;
  currency: string;
  period: string;
  position: number;
};

export type OfferWrite = Omit<OfferRow, 'id'>;
export type OfferPlanWrite = Omit<OfferPlanRow, 'id' | 'offer_id'>;

export function createOfferRepository(db: Db) {
  const active = db.prepare<[], OfferRow>('SELECT * FROM offers WHERE active = 1 ORDER BY id LIMIT 1');
  const plans = db.prepare<[number], OfferPlanRow>('SELECT * FROM offer_plans WHERE offer_id = ? ORDER BY position, id');
  const upsertOffer = db.prepare<OfferWrite>(
    `INSERT INTO offers (code, name, benefits_json, pitch, special_offer_label, special_offer_text, active)
     VALUES (@code, @name, @benefits_json, @pitch, @special_offer_label, @special_offer_text, @active)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, benefits_json = excluded.benefits_json, pitch = excluded.pitch,
       special_offer_label = excluded.special_offer_label, special_offer_text = excluded.special_offer_text, active = excluded.active
     WHERE (name, benefits_json, pitch, special_offer_label, special_offer_text, active)
       IS NOT (excluded.name, excluded.benefits_json, excluded.pitch, excluded.special_offer_label, excluded.special_offer_text, excluded.active)`,
  );
  const offerId = db.prepare<[string], number>('SELECT id FROM offers WHERE code = ?').pluck();
  const upsertPlan = db.prepare<OfferPlanWrite & { offer_id: number }>(
    `INSERT INTO offer_plans (offer_id, code, name, description, price_cents, currency, period, position)
     VALUES (@offer_id, @code, @name, @description, @price_cents, @currency, @period, @position)
     ON CONFLICT (offer_id, code) DO UPDATE SET name = excluded.name, description = excluded.description,
       price_cents = excluded.price_cents, currency = excluded.currency, period = excluded.period, position = excluded.position
     WHERE (name, description, price_cents, currency, period, position)
       IS NOT (excluded.name, excluded.description, excluded.price_cents, excluded.currency, excluded.period, excluded.position)`,
  );

  const removePlansExcept = db.prepare<{ offer_id: number; codes: string }>(
    'DELETE FROM offer_plans WHERE offer_id = @offer_id AND code NOT IN (SELECT value FROM json_each(@codes))',
  );

  return {
    findActive: (): OfferRow | undefined => active.get(),
    listPlans: (offerId: number): OfferPlanRow[] => plans.all(offerId),
    /** Creates or updates an offer and its plans by their codes. */
    upsert(offer: OfferWrite, offerPlans: OfferPlanWrite[]): void {
      upsertOffer.run(offer);
      const id = offerId.get(offer.code)!;
      for (const plan of offerPlans) upsertPlan.run({ ...plan, offer_id: id });
    },
    /** Removes the offer's plans whose codes are not listed. Call inside the caller's transaction. */
    removePlansExcept: (offerId: number, codes: readonly string[]): number =>
      removePlansExcept.run({ offer_id: offerId, codes: JSON.stringify(codes) }).changes,
  };
}

export type OfferRepository = ReturnType<typeof createOfferRepository>;
