import { consentText } from './consent-text';
import { feedPath } from './feed-paths';
import type { PageContext } from './page-context';
import type { OfferPlanRow } from '../repositories/offers';
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

export function formatPrice(plan: Pick<OfferPlanRow, 'price_cents' | 'currency' | 'period'>): string {
  const amount = new Intl.NumberFormat('en-US', { style: 'currency', currency: plan.currency }).format(plan.price_cents / 100);
  return `${amount} a ${plan.period}`;
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

function readPromo(content: SiteContent, now: string): PromoView | null {
  const promo = content.promos.findActive('sidebar', now);
  if (!promo) return null;
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

export function buildChrome(
  context: PageContext,
  directory: SectionDirectory,
  options: { now: string; path: string; currentSection?: SectionNode; searchQuery?: string },
): ChromeView {
  const { content, config, assets } = context;
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
    promo: readPromo(content, options.now),
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
    offer: readOffer(content),
    // Tokens run on the real clock (the `now` passed in only decides what is published).
    panelForm: { csrf: context.tokens.panelToken(Date.now()), source: options.path, consentText: consentText(config.siteName) },
    searchQuery: options.searchQuery ?? '',
    socialLinks: SOCIAL_LINKS,
  };
}
