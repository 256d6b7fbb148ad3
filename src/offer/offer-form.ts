import { z } from 'zod';

// The offer form of /admin/offer, checked at the edge: the panel's words and the plans. Plans
// come as numbered rows of fields (plan_name_0, plan_price_0, ...), the existing ones first and
// one empty row to add a plan; a row whose "Remove" box is ticked is left out.

export const MAX_PLANS = 12;
export const PLAN_PERIODS = ['week', 'month', 'quarter', 'year'] as const;
export const PLAN_CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'CHF', 'JPY'] as const;

const text = (label: string, max: number, required = true) => {
  const base = z.string({ error: `Write the ${label}` }).trim();
  return (required ? base.min(1, `Write the ${label}`) : base).max(
    max,
    `The ${label} has at most ${max.toLocaleString('en-US')} characters`,
  );
};

export const offerWordsSchema = z.object({
  name: text('offer name', 120),
  benefits: z
    .string({ error: 'Write at least one bullet point' })
    .transform((value) =>
      value
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().max(160, 'A bullet point has at most 160 characters'))
        .min(1, 'Write at least one bullet point')
        .max(8, 'The panel has room for at most 8 bullet points'),
    ),
  pitch: text('pitch', 200, false),
  specialOfferLabel: text('special-offer label', 60, false),
  specialOfferText: text('special-offer text', 300, false),
});

const planSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'Give the plan a short code: small letters, digits and hyphens (such as digital)'),
  name: text('plan name', 80),
  description: text('plan description', 300, false),
  price: z
    .string()
    .trim()
    .regex(/^\d{1,6}(\.\d{1,2})?$/, 'Give a price such as 49 or 49.99')
    .transform((value) => Math.round(Number(value) * 100)),
  currency: z.enum(PLAN_CURRENCIES, { error: 'Choose a currency from the list' }),
  period: z.enum(PLAN_PERIODS, { error: 'Choose a period from the list' }),
});

export type OfferPlanForm = z.output<typeof planSchema>;
export type OfferForm = z.output<typeof offerWordsSchema> & { plans: OfferPlanForm[] };
export type PlanRowValues = {
  code: string;
  name: string;
  description: string;
  price: string;
  currency: string;
  period: string;
  remove: boolean;
};
export type OfferFormValues = {
  name: string;
  benefits: string;
  pitch: string;
  specialOfferLabel: string;
  specialOfferText: string;
  plans: PlanRowValues[];
};

const field = (body: Record<string, unknown>, name: string, max = 1000) =>
  typeof body[name] === 'string' ? (body[name] as string).slice(0, max) : '';

/** The form as typed, to show again after a refusal. */
export function offerFormValues(body: Record<string, unknown>): OfferFormValues {
  const plans: PlanRowValues[] = [];
  for (let i = 0; i < MAX_PLANS + 1; i++) {
    const row = {
      code: field(body, `plan_code_${i}`, 60),
      name: field(body, `plan_name_${i}`),
      description: field(body, `plan_description_${i}`),
      price: field(body, `plan_price_${i}`, 20),
      currency: field(body, `plan_currency_${i}`, 10),
      period: field(body, `plan_period_${i}`, 10),
      remove: body[`plan_remove_${i}`] === 'yes',
    };
    if (`plan_code_${i}` in body || `plan_name_${i}` in body) plans.push(row);
  }
  return {
    name: field(body, 'name'),
    benefits: field(body, 'benefits', 4000),
    pitch: field(body, 'pitch'),
    specialOfferLabel: field(body, 'specialOfferLabel'),
    specialOfferText: field(body, 'specialOfferText'),
    plans,
  };
}

/** Checks the whole form; its refusals keyed by field name (plan fields as plan_name_2, ...). */
export function parseOfferForm(values: OfferFormValues): { ok: true; form: OfferForm } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const words = offerWordsSchema.safeParse(values);
  if (!words.success) {
    for (const issue of words.error.issues) errors[String(issue.path[0])] ??= issue.message;
  }
  const plans: OfferPlanForm[] = [];
  const codes = new Set<string>();
  values.plans.forEach((row, i) => {
    const blank = !row.code.trim() && !row.name.trim() && !row.price.trim() && !row.description.trim();
    if (row.remove || blank) return; // removed, or the empty row left empty
    const plan = planSchema.safeParse(row);
    if (!plan.success) {
      for (const issue of plan.error.issues) errors[`plan_${String(issue.path[0])}_${i}`] ??= issue.message;
      return;
    }
    if (codes.has(plan.data.code)) errors[`plan_code_${i}`] = `Two plans cannot share the code "${plan.data.code}"`;
    codes.add(plan.data.code);
    plans.push(plan.data);
  });
  if (plans.length === 0 && !Object.keys(errors).some((key) => key.startsWith('plan_'))) {
    errors.plans = 'Keep at least one plan: readers choose one when they sign up';
  }
  if (plans.length > MAX_PLANS) errors.plans = `The offer has room for at most ${MAX_PLANS} plans`;
  if (Object.keys(errors).length > 0 || !words.success) return { ok: false, errors };
  return { ok: true, form: { ...words.data, plans } };
}
