import type { Config } from '../config';
import type { Db } from '../db/open-database';
import { ASSETS_DIR } from '../project-paths';
import { loadOrCreateSecret } from './settings-repository';
import { AssetManifest } from './asset-manifest';
import { FormTokens } from '../http/form-tokens';
import { createSiteContent, type SiteContent } from './site-content';

/** What page builders need from the app: the content, the configuration and the assets. */
export type PageContext = { content: SiteContent; config: Config; assets: AssetManifest; tokens: FormTokens };

export function createPageContext(db: Db, config: Config): PageContext {
  return {
    content: createSiteContent(db),
    config,
    assets: new AssetManifest(ASSETS_DIR),
    tokens: new FormTokens(loadOrCreateSecret(db, config.secretKey)),
  };
}

export type PageMeta = {
  title: string;
  description: string;
  canonicalUrl: string;
  ogType: 'website' | 'article';
  image: { url: string; width: number; height: number; alt: string } | null;
  /** Structured data, already serialised safely for a <script> element. */
  jsonLd: string | null;
  robots: string | null;
  /** Further <meta property> tags, such as article:published_time. */
  extraMeta: { property: string; content: string }[];
};

/** JSON for a <script type="application/ld+json">: no "<" can end the script early. */
export function serialiseJsonLd(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
