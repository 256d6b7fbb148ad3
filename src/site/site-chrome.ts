import { consentText } from '../subscriptions/consent-text';
import { feedPath } from '../feeds/feed-paths';
import type { PageContext } from './page-context';
import type { OfferPlanRow } from './offers-repository';
import type { PromoRow, TargetedPromo } from './promos-repository';
import { choosePromo } from '../promos/promo-choice';
import type { SectionDirectory, SectionNode } from './section-directory';
import type { SiteContent } from './site-content';
import { sectionPathUrl } from './site-urls';
import { photoView, type LinkView, type PhotoView } from './view-models';

// What every page around its main content shows: navigation, the promo, the offer panel, the
// footer. None of it depends on who is reading, so pages that include it stay cacheable.

export type NavItemView = LinkView & { current: boolean };

export type PromoView = {
  seriesName: string;
  seriesTagline: string;
  headline: string;
  summary: string;
  url: string;
  photo: PhotoView | null;
};

export type OfferPlanView = { code: string; name: string; description: string; price: string };

export type OfferView = {
  name: string;
  benefits: string[];
  pitch: string;
  specialOfferLabel: string;
  specialOfferText: string;
  plans: OfferPlanView[];
};

/** What the offer panel's form carries: nothing per reader (see form-tokens.ts). */
export type PanelFormView = { csrf: string; source: string; consentText: string };

export type ChromeView = {
  siteName: string;
  stylesheetUrl: string;
  iconUrl: string;
  nav: NavItemView[];
  promo: PromoView | null;
  offer: OfferView | null;
  panelForm: PanelFormView;
  /** Feed autodiscovery: the site's feeds, and the current section's. */
  feedLinks: { title: string; type: string; url: string }[];
  searchQuery: string;
  socialLinks: LinkView[];
};

const SOCIAL_LINKS: LinkView[] = [
  { text: 'Facebook', url: 'https://www.facebook.com/' },
  { text: 'X', url: 'https://x.com/' },
  { text: 'YouTube', url: 'https://www.youtube.com/' },
];

// Building an Intl formatter costs far more than using one: one per currency, kept.
const currencyFormats = new Map<string, Intl.NumberFormat>();

export function formatPrice(plan: Pick<OfferPlanRow, 'price_cents' | 'currency' | 'period'>): string {
  let format = currencyFormats.get(plan.currency);
  if (!format)
    currencyFormats.set(plan.currency, (format = new Intl.NumberFormat('en-US', { style: 'currency', currency: plan.currency })));
  return `${format.format(plan.price_cents / 100)} a ${plan.period}`;
}

export function readOffer(content: SiteContent): OfferView | null {
  const offer = content.offers.findActive();
  if (!offer) return null;
  return {
    name: offer.name,
    benefits: JSON.parse(offer.benefits_json) as string[],
    pitch: offer.pitch,
    specialOfferLabel: offer.special_offer_label,
    specialOfferText: offer.special_offer_text,
    plans: content.offers.listPlans(offer.id).map((plan) => ({
      code: plan.code,
      name: plan.name,
      description: plan.description,
      price: formatPrice(plan),
    })),
  };
}

/** A promo as the sidebar shows it, with its photo's variants. */
export function promoView(content: SiteContent, promo: PromoRow): PromoView {
  const photo = promo.photo_id === null ? undefined : content.photos.findById(promo.photo_id);
  return {
    seriesName: promo.series_name,
    seriesTagline: promo.series_tagline,
    headline: promo.headline,
    summary: promo.summary,
    url: promo.link_url,
    photo: photo ? photoView(photo, '(max-width: 900px) 90vw, 300px') : null,
  };
}

type LayoutParts = {
  key: string;
  minute: number;
  running: TargetedPromo[];
  promoViews: Map<number, PromoView>;
  offer: OfferView | null;
};

// The running promos and the offer are the same on every page until the content changes (or, for
// promos, until a start or end time passes): kept per content version and minute.
const layoutCache = new WeakMap<PageContext, LayoutParts>();

function layoutParts(context: PageContext, now: string): LayoutParts {
  const minute = Math.floor(Date.parse(now) / 60_000);
  const key = `${context.content.contentVersion().version}:${minute}`;
  const cached = layoutCache.get(context);
  if (cached?.key === key) return cached;
  const parts = {
    key,
    minute,
    running: context.content.promos.listRunning('sidebar', now),
    promoViews: new Map<number, PromoView>(),
    offer: readOffer(context.content),
  };
  layoutCache.set(context, parts);
  return parts;
}

/** The promo a page in `section` (or outside any) shows this minute (promos/promo-choice.ts). */
function pagePromo(context: PageContext, parts: LayoutParts, directory: SectionDirectory, section?: SectionNode): PromoView | null {
  const trail = section ? directory.trail(section).map((node) => node.id) : [];
  const chosen = choosePromo(parts.running, trail, parts.minute);
  if (!chosen) return null;
  let view = parts.promoViews.get(chosen.id);
  if (!view) parts.promoViews.set(chosen.id, (view = promoView(context.content, chosen)));
  return view;
}

export function buildChrome(
  context: PageContext,
  directory: SectionDirectory,
  options: {
    now: string;
    path: string;
    currentSection?: SectionNode;
    searchQuery?: string;
    /** A promo shown instead of the running one (the newsroom's preview of a promo). */
    promoPreview?: PromoView;
  },
): ChromeView {
  const { config, assets } = context;
  const layout = layoutParts(context, options.now);
  const currentTop = options.currentSection ? directory.topLevelOf(options.currentSection) : undefined;
  return {
    siteName: config.siteName,
    stylesheetUrl: assets.url('site.css'),
    iconUrl: assets.url('icon.svg'),
    nav: directory.topLevel.map((section) => ({
      text: section.name,
      url: sectionPathUrl(section.path),
      current: section.id === currentTop?.id,
    })),
    promo: options.promoPreview ?? pagePromo(context, layout, directory, options.currentSection),
    feedLinks: [
      { title: `${config.siteName} (RSS)`, type: 'application/rss+xml', url: feedPath(null, 'rss') },
      { title: `${config.siteName} (Atom)`, type: 'application/atom+xml', url: feedPath(null, 'atom') },
      { title: `${config.siteName} (JSON Feed)`, type: 'application/feed+json', url: feedPath(null, 'json') },
      ...(options.currentSection
        ? [
            {
              title: `${config.siteName}: ${options.currentSection.name} (RSS)`,
              type: 'application/rss+xml',
              url: feedPath(options.currentSection, 'rss'),
            },
          ]
        : []),
    ],
    offer: layout.offer,
    // The site's one clock decides the token as it decides what is published.
    panelForm: {
      csrf: context.tokens.panelToken(Date.parse(options.now)),
      source: options.path,
      consentText: consentText(config.siteName),
    },
    searchQuery: options.searchQuery ?? '',
    socialLinks: SOCIAL_LINKS,
  };
}
