import type { Db } from '../db/open-database';

export type PromoRow = {
  id: number;
  code: string;
  series_name: string;
  series_tagline: string;
  photo_id: number | null;
  headline: string;
  summary: string;
  link_url: string;
  placement: string;
  starts_at: string;
  ends_at: string | null;
  weight: number;
};

export type PromoWrite = Omit<PromoRow, 'id'>;

export function createPromoRepository(db: Db) {
  const active = db.prepare<{ placement: string; now: string }, PromoRow>(
    `SELECT * FROM promos WHERE placement = @placement AND starts_at <= @now AND (ends_at IS NULL OR ends_at > @now)
     ORDER BY weight DESC, starts_at DESC, id LIMIT 1`,
  );
  const upsert = db.prepare<PromoWrite>(
    `INSERT INTO promos (code, series_name, series_tagline, photo_id, headline, summary, link_url, placement, starts_at, ends_at, weight)
     VALUES (@code, @series_name, @series_tagline, @photo_id, @headline, @summary, @link_url, @placement, @starts_at, @ends_at, @weight)
     ON CONFLICT (code) DO UPDATE SET series_name = excluded.series_name, series_tagline = excluded.series_tagline,
       photo_id = excluded.photo_id, headline = excluded.headline, summary = excluded.summary, link_url = excluded.link_url,
       placement = excluded.placement, starts_at = excluded.starts_at, ends_at = excluded.ends_at, weight = excluded.weight
     WHERE (series_name, series_tagline, photo_id, headline, summary, link_url, placement, starts_at, ends_at, weight)
       IS NOT (excluded.series_name, excluded.series_tagline, excluded.photo_id, excluded.headline, excluded.summary,
       excluded.link_url, excluded.placement, excluded.starts_at, excluded.ends_at, excluded.weight)`,
  );
  return {
    /** The promo to show now in a placement: the heaviest one running. */
    findActive: (placement: string, now: string): PromoRow | undefined => active.get({ placement, now }),
    upsert: (promo: PromoWrite): void => void upsert.run(promo),
  };
}

export type PromoRepository = ReturnType<typeof createPromoRepository>;
