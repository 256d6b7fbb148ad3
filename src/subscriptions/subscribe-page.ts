import { consentText } from './consent-text';
import type { PageContext, PageMeta } from '../site/page-context';
import type { SectionDirectory } from '../site/section-directory';
import { buildChrome, readOffer, type ChromeView, type OfferView } from '../site/site-chrome';
import { absoluteUrl } from '../site/site-urls';

export type SignupValues = { email: string; name: string; plan: string; consent: boolean };
export type FieldErrors = Partial<Record<'email' | 'name' | 'plan' | 'consent', string>>;

export type SubscribePageView = {
  chrome: ChromeView;
  meta: PageMeta;
  offer: OfferView | null;
  consentText: string;
  form: { csrf: string; values: SignupValues; errors: FieldErrors; generalError: string | null };
};

export type MessagePageView = {
  chrome: ChromeView;
  meta: PageMeta;
  heading: string;
  paragraphs: string[];
  /** A button that posts (confirm, unsubscribe): links in mail never change anything by themselves. */
  action: { url: string; label: string; fields: { name: string; value: string }[] } | null;
};

function meta(context: PageContext, title: string, path: string): PageMeta {
  return {
    title: `${title} - ${context.config.siteName}`,
    description: `${title}: the weekly review of global news and ideas from ${context.config.siteName}.`,
    canonicalUrl: absoluteUrl(context.config.siteUrl, path),
    ogType: 'website',
    image: null,
    jsonLd: null,
    robots: path === '/subscribe' ? null : 'noindex',
    extraMeta: [],
  };
}

export function buildSubscribePage(
  context: PageContext,
  directory: SectionDirectory,
  form: SubscribePageView['form'],
  now: string,
): SubscribePageView {
  return {
    chrome: { ...buildChrome(context, directory, { now, path: '/subscribe' }), offer: null },
    meta: meta(context, 'Subscribe', '/subscribe'),
    offer: readOffer(context.content),
    consentText: consentText(context.config.siteName),
    form,
  };
}

export function buildMessagePage(
  context: PageContext,
  directory: SectionDirectory,
  page: { path: string; heading: string; paragraphs: string[]; action?: MessagePageView['action'] },
  now: string,
): MessagePageView {
  return {
    chrome: { ...buildChrome(context, directory, { now, path: page.path }), offer: null },
    meta: meta(context, page.heading, page.path),
    heading: page.heading,
    paragraphs: page.paragraphs,
    action: page.action ?? null,
  };
}
