import { randomBytes } from 'node:crypto';
import type { Db } from '../db/open-database';
import type { NewsroomAuditRepository } from '../newsroom/newsroom-audit-repository';
import { createPhotoRepository } from '../photos/photos-repository';
import { createPromoRepository, type PromoEdit, type TargetedPromo } from '../site/promos-repository';
import { createSectionRepository } from '../site/sections-repository';
import type { PromoForm } from './promo-form';

// Saving and retiring promos from the newsroom: the checks a form cannot make alone (the photo
// and sections exist), the write with its target sections, and the audit entry, in one
// transaction, so that a promo is never half-saved and never changed without a record of who.

export type PromoEditor = ReturnType<typeof createPromoEditor>;
type Editor = { id: number; email: string };

export type PromoSaveResult = { ok: true; id: number } | { ok: false; errors: Record<string, string> };

export function createPromoEditor(db: Db, audit: NewsroomAuditRepository) {
  const promos = createPromoRepository(db);
  const photos = createPhotoRepository(db);
  const sections = createSectionRepository(db);

  const save = db.transaction((editor: Editor, id: number | null, form: PromoForm, now: string): PromoSaveResult => {
    const errors: Record<string, string> = {};
    if (form.photo !== null && !photos.findById(form.photo)) errors.photo = `There is no photo ${form.photo} in the library`;
    const known = new Set(sections.listAll().map((section) => section.id));
    if (form.sections.some((sectionId) => !known.has(sectionId))) errors.sections = 'Choose sections from the list';
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    const row: PromoEdit = {
      series_name: form.seriesName,
      series_tagline: form.tagline,
      photo_id: form.photo,
      headline: form.headline,
      summary: form.summary,
      link_url: form.link,
      placement: form.placement,
      starts_at: form.startsAt!,
      ends_at: form.endsAt,
      weight: form.weight,
    };
    let savedId: number;
    if (id === null) savedId = promos.create({ ...row, code: `promo-${randomBytes(6).toString('hex')}` }, form.sections, now);
    else {
      promos.update(id, row, form.sections, now);
      savedId = id;
    }
    audit.add({
      at: now,
      userId: editor.id,
      email: editor.email,
      action: id === null ? 'created promo' : 'changed promo',
      subject: `promo ${savedId}`,
      detail: form.headline,
    });
    return { ok: true, id: savedId };
  });

  const retire = db.transaction((editor: Editor, id: number, now: string): boolean => {
    const promo = promos.findById(id);
    if (!promo || !promos.retire(id, now)) return false;
    audit.add({ at: now, userId: editor.id, email: editor.email, action: 'retired promo', subject: `promo ${id}`, detail: promo.headline });
    return true;
  });

  return {
    find: (id: number): TargetedPromo | undefined => promos.findById(id),
    list: (now: string): TargetedPromo[] => promos.listAll(now),
    /** Creates (id null) or changes a promo; the refusals, by field, when the photo or a section does not exist. */
    save: (editor: Editor, id: number | null, form: PromoForm, now: string): PromoSaveResult => save.immediate(editor, id, form, now),
    /** Ends a promo now; false when there is no such promo or it had ended already. */
    retire: (editor: Editor, id: number, now: string): boolean => retire.immediate(editor, id, now),
  };
}
