import type { Logger } from 'pino';
import type { Db } from './db/open-database';
import type { ArticlePages } from './articles/article-page-assembly';
import type { PageCacheDeps } from './delivery/cached-pages';
import type { RateLimiter } from './http/rate-limiter';
import type { MailSender } from './mail/mail-sender';
import type { PhotoStore } from './photos/photo-store';
import type { SearchRepository } from './search/search-repository';
import type { SearchRefusal } from './search/search-refusal';
import type { SearchLayout } from './search/search-layout';
import type { SearchThreads } from './search/search-threads';
import type { PageContext } from './site/page-context';
import type { SignupService } from './subscriptions/signup';
import type { NewsroomAccounts } from './newsroom/newsroom-accounts';
import type { NewsroomStoriesRepository } from './newsroom/newsroom-stories-repository';
import type { StoryEditor } from './newsroom/story-editor';
import type { PhotoLibraryRepository } from './newsroom/photo-library-repository';
import type { PromoEditor } from './promos/promo-editor';
import type { OfferEditor } from './offer/offer-editor';
import type { NewsletterEditor } from './newsletters/newsletter-editor';
import type { SubscriberAdminRepository } from './subscriptions/subscriber-admin-repository';
import type { SubscriptionRepository } from './subscriptions/subscriptions-repository';

/** What the routers and the front door share, built once by createApp (the composition root). */
export type AppDeps = {
  db: Db;
  page: PageContext;
  /** Article pages from stored renders joined with the layout. */
  articlePages: ArticlePages;
  photoStore: PhotoStore;
  search: SearchRepository;
  /** Where searches run: on search threads, or inline. */
  searchThreads: SearchThreads;
  /** Results pages from their parts joined with the kept layout. */
  searchLayout: SearchLayout;
  /** The 503 of a search past the threads' capacity, kept as bytes (search-refusal.ts). */
  searchRefusal: SearchRefusal;
  signups: SignupService;
  /** The newsroom's accounts, sessions and audit log. */
  newsroom: NewsroomAccounts;
  /** Stories in every state, for the newsroom's lists. */
  newsroomStories: NewsroomStoriesRepository;
  /** Saving stories from the newsroom's editor. */
  storyEditor: StoryEditor;
  /** The newsroom's photo library: search, and what uses a photo. */
  photoLibrary: PhotoLibraryRepository;
  /** Saving and retiring sidebar promos from the newsroom. */
  promoEditor: PromoEditor;
  /** Changing the subscription offer and its plans from the newsroom. */
  offerEditor: OfferEditor;
  /** The weekly review's issues: compose, edit, test, schedule (sending is the primary's NewsletterSender). */
  newsletterEditor: NewsletterEditor;
  /** The newsroom's subscriber list, counts, consent history and export. */
  subscriberAdmin: SubscriberAdminRepository;
  /** Subscriptions by id, and erasure. */
  subscriptions: SubscriptionRepository;
  /** Rate limits shared by every worker (counted in SQLite). */
  limiter: RateLimiter;
  mailSender: MailSender;
  /** How many stories an article sitemap file holds (tests lower it). */
  sitemapUrlsPerFile: number;
  logger: Logger;
  /** Rendered shared pages, the content version that says whether they are current, and the clock. */
  pageCache: PageCacheDeps;
  /** The site's one clock (clock.ts), as an ISO string: what is published is decided by it. */
  now: () => string;
  /** The same clock in milliseconds: token periods and ages, lifetimes. */
  nowMs: () => number;
};
