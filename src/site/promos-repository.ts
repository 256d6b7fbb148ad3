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

/** A promo with the sections it targets (migration 0030; none: everywhere). */
export type TargetedPromo = PromoRow & { sectionIds: number[]; updated_at: string | null };

export type PromoWrite = Omit<PromoRow, 'id'>;
export type PromoEdit = Omit<PromoRow, 'id' | 'code'>;

type TargetedRow = PromoRow & { updated_at: string | null; section_ids: string | null };

const targeted = ({ section_ids, ...row }: TargetedRow): TargetedPromo => ({
  ...row,
  sectionIds: section_ids ? section_ids.split(',').map(Number) : [],
});

const WITH_SECTIONS = `SELECT p.*, (SELECT group_concat(section_id) FROM promo_sections WHERE promo_id = p.id) AS section_ids FROM promos p`;

export function createPromoRepository(db: Db) {
  const running = db.prepare<{ placement: string; now: string }, TargetedRow>(
    `${WITH_SECTIONS} WHERE placement = @placement AND starts_at <= @now AND (ends_at IS NULL OR ends_at > @now)
     ORDER BY weight DESC, starts_at DESC, id`,
  );
  const byId = db.prepare<[number], TargetedRow>(`${WITH_SECTIONS} WHERE id = ?`);
  // The newsroom's list: running and scheduled first (soonest to end or start), then ended, newest first.
  const all = db.prepare<{ now: string }, TargetedRow>(
    `${WITH_SECTIONS} ORDER BY (ends_at IS NOT NULL AND ends_at <= @now), starts_at DESC, id DESC`,
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
  const insert = db.prepare<PromoWrite & { now: string }>(
    `INSERT INTO promos (code, series_name, series_tagline, photo_id, headline, summary, link_url, placement, starts_at, ends_at, weight, updated_at)
     VALUES (@code, @series_name, @series_tagline, @photo_id, @headline, @summary, @link_url, @placement, @starts_at, @ends_at, @weight, @now)`,
  );
  const update = db.prepare<PromoEdit & { id: number; now: string }>(
    `UPDATE promos SET series_name = @series_name, series_tagline = @series_tagline, photo_id = @photo_id, headline = @headline,
       summary = @summary, link_url = @link_url, placement = @placement, starts_at = @starts_at, ends_at = @ends_at,
       weight = @weight, updated_at = @now
     WHERE id = @id`,
  );
  // Ends now, unless it has ended already; one scheduled for later never starts.
  const retire = db.prepare<{ id: number; now: string }>(
    `UPDATE promos SET ends_at = @now, starts_at = min(starts_at, @now), updated_at = @now
     WHERE id = @id AND (ends_at IS NULL OR ends_at > @now)`,
  );
  const clearSections = db.prepare<[number]>('DELETE FROM promo_sections WHERE promo_id = ?');
  const addSection = db.prepare<[number, number]>('INSERT INTO promo_sections (promo_id, section_id) VALUES (?, ?)');

  function setSections(id: number, sectionIds: readonly number[]): void {
    const current = byId.get(id);
    const before = current?.section_ids ? current.section_ids.split(',').map(Number).sort() : [];
    const after = [...new Set(sectionIds)].sort();
    if (before.join() === after.join()) return; // unchanged: no purge, no new content version
    clearSections.run(id);
    for (const sectionId of after) addSection.run(id, sectionId);
  }

  return {
    /** Every promo running now in a placement, heaviest first, with the sections each targets. */
    listRunning: (placement: string, now: string): TargetedPromo[] => running.all({ placement, now }).map(targeted),
    findById: (id: number): TargetedPromo | undefined => {
      const row = byId.get(id);
      return row && targeted(row);
    },
    /** All promos for the newsroom: running and scheduled, then ended. */
    listAll: (now: string): TargetedPromo[] => all.all({ now }).map(targeted),
    /** Creates or updates a promo by its code, leaving a row as it is when nothing changed (the seed). */
    upsert: (promo: PromoWrite): void => void upsert.run(promo),
    /** A new promo with its target sections; its id. Call inside the caller's transaction. */
    create(promo: PromoWrite, sectionIds: readonly number[], now: string): number {
      const id = Number(insert.run({ ...promo, now }).lastInsertRowid);
      setSections(id, sectionIds);
      return id;
    },
    /** Changes a promo and its target sections. Call inside the caller's transaction. */
    update(id: number, promo: PromoEdit, sectionIds: readonly number[], now: string): void {
      update.run({ ...promo, id, now });
      setSections(id, sectionIds);
    },
    /** Ends a promo now; false when it had ended already. */
    retire: (id: number, now: string): boolean => retire.run({ id, now }).changes === 1,
  };
}

export type PromoRepository = ReturnType<typeof createPromoRepository>;
