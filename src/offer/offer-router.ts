import { Router, type Response } from 'express';
import type { AppDeps } from '../app-deps';
import { buildNewsroomChrome } from '../newsroom/newsroom-chrome';
import { newsroomSession } from '../newsroom/newsroom-request';
import { requireRole } from '../newsroom/newsroom-roles';
import type { NewsroomSession } from '../newsroom/newsroom-sessions';
import { MAX_PLANS, offerFormValues, parseOfferForm, PLAN_CURRENCIES, PLAN_PERIODS, type OfferFormValues } from './offer-form';

// /admin/offer (admins): the offer panel's words and the plans readers choose from.

const EMPTY_PLAN = { code: '', name: '', description: '', price: '', currency: 'USD', period: 'year', remove: false };

export function createOfferRouter(deps: AppDeps): Router {
  const router = Router();
  const { page, offerEditor } = deps;

  const storedValues = (): OfferFormValues => {
    const current = offerEditor.current();
    if (!current) return { name: '', benefits: '', pitch: '', specialOfferLabel: 'Special Offer', specialOfferText: '', plans: [] };
    const { offer, plans } = current;
    return {
      name: offer.name,
      benefits: (JSON.parse(offer.benefits_json) as string[]).join('\n'),
      pitch: offer.pitch,
      specialOfferLabel: offer.special_offer_label,
      specialOfferText: offer.special_offer_text,
      plans: plans.map((plan) => ({
        code: plan.code,
        name: plan.name,
        description: plan.description,
        price: (plan.price_cents / 100).toFixed(2),
        currency: plan.currency,
        period: plan.period,
        remove: false,
      })),
    };
  };

  function render(
    res: Response,
    session: NewsroomSession,
    status: number,
    values: OfferFormValues,
    errors: Record<string, string>,
    notice: string | null,
  ) {
    const existingCodes = offerEditor.current()?.plans.map((plan) => plan.code) ?? [];
    const plans = values.plans.filter((plan) => plan.code !== '' || plan.name !== '' || plan.price !== '');
    // Always one empty row to add a plan, unless the offer is full.
    if (plans.length === values.plans.length && plans.length < MAX_PLANS) plans.push({ ...EMPTY_PLAN });
    res.status(status).render('newsroom/offer', {
      view: {
        title: 'The offer',
        chrome: buildNewsroomChrome(page, session, '/admin/offer'),
        values: { ...values, plans },
        existingCodes,
        currencies: PLAN_CURRENCIES,
        periods: PLAN_PERIODS,
        errors,
        notice,
      },
    });
  }

  router.get('/admin/offer', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'admin');
    render(res, session, 200, storedValues(), {}, req.query.saved === '1' ? 'Offer saved. Every page shows it from now on.' : null);
  });

  router.post('/admin/offer', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'admin');
    const values = offerFormValues((req.body ?? {}) as Record<string, unknown>);
    const parsed = parseOfferForm(values);
    if (!parsed.ok) return render(res, session, 422, values, parsed.errors, null);
    offerEditor.save(session.user, parsed.form, deps.now());
    res.redirect(303, '/admin/offer?saved=1');
  });

  return router;
}
