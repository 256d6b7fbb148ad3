import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { NotFoundError } from '../errors';
import { parseOrBadRequest } from '../http/parse-request';
import { PhotoRejected, variantFileName, variantWidthsFor } from '../photos/photo-store';
import { buildNewsroomChrome } from './newsroom-chrome';
import { fieldErrors } from './newsroom-forms';
import { newsroomSession } from './newsroom-request';
import { requireRole } from './newsroom-roles';
import type { NewsroomSession } from './newsroom-sessions';
import { readPhotoUpload } from './photo-upload';

// /admin/photos: the photo library (search, reuse by number) and uploads. Every photo carries
// alt text, a caption and a credit from the start, so that none is ever placed without them.
// Anyone in the newsroom uploads (writers illustrate their drafts); editors delete, and never a
// photo a story or a promo uses.

const PAGE_SIZE = 24;
const libraryQuery = z.object({
  q: z.string({ error: 'must be one search' }).max(200, 'is too long').optional(),
  page: z.coerce.number({ error: 'must be a page number' }).int().min(1).max(10_000).default(1),
  uploaded: z.coerce.number().int().positive().optional(),
  deleted: z.coerce.number().int().positive().optional(),
});
const photoWords = z.object({
  alt: z
    .string({ error: 'Describe the photo for people who cannot see it' })
    .trim()
    .min(1, 'Describe the photo for people who cannot see it')
    .max(300, 'Alt text has at most 300 characters'),
  caption: z.string({ error: 'Write a caption' }).trim().min(1, 'Write a caption').max(1000, 'A caption has at most 1,000 characters'),
  credit: z
    .string({ error: 'Say who took the photo' })
    .trim()
    .min(1, 'Say who took the photo')
    .max(200, 'A credit has at most 200 characters'),
});
const photoId = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31);

type LibraryForm = {
  values: { alt: string; caption: string; credit: string };
  errors: Record<string, string>;
  status: number;
  notice: string | null;
};

export function createPhotoLibraryRouter(deps: AppDeps): Router {
  const router = Router();
  const { page, photoLibrary, newsroom } = deps;
  const { config } = page;

  function render(req: Request, res: Response, session: NewsroomSession, form: LibraryForm) {
    const query = libraryQuery.safeParse(req.query);
    const q = query.success ? query.data.q?.trim() || undefined : undefined;
    const pageNumber = query.success ? query.data.page : 1;
    const total = photoLibrary.count(q);
    const totalPages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const at = (n: number) =>
      `/admin/photos?${new URLSearchParams({ ...(q ? { q } : {}), ...(n > 1 ? { page: String(n) } : {}) }).toString()}`;
    res.status(form.status).render('newsroom/photos', {
      view: {
        title: 'Photos',
        chrome: buildNewsroomChrome(page, session, '/admin/photos'),
        uploadAction: `/admin/photos?_csrf=${encodeURIComponent(session.csrfToken)}`,
        maxMb: Math.round(config.photoUploadBytes / 1024 / 1024),
        canDelete: session.user.role !== 'writer',
        q: q ?? '',
        total,
        photos: photoLibrary.list(q, PAGE_SIZE, (pageNumber - 1) * PAGE_SIZE).map((photo) => ({
          id: photo.id,
          thumbnail: `/photos/${variantFileName(photo.sha256, variantWidthsFor(photo.width)[0]!, 'webp')}`,
          alt: photo.alt,
          caption: photo.caption,
          credit: photo.credit,
          size: `${photo.width} × ${photo.height}`,
        })),
        pagination: {
          page: pageNumber,
          totalPages,
          previousUrl: pageNumber > 1 ? at(pageNumber - 1) : null,
          nextUrl: pageNumber < totalPages ? at(pageNumber + 1) : null,
        },
        ...form,
      },
    });
  }

  const blank = (status = 200, notice: string | null = null): LibraryForm => ({
    values: { alt: '', caption: '', credit: '' },
    errors: {},
    status,
    notice,
  });

  router.get('/admin/photos', (req, res) => {
    const session = newsroomSession(res.locals);
    const query = parseOrBadRequest(libraryQuery, req.query, 'photo library address');
    const notice = query.uploaded
      ? `Photo ${query.uploaded} is in the library. Place it in a story's body with a line [photo ${query.uploaded}], or give ${query.uploaded} as its hero photo.`
      : query.deleted
        ? `Photo ${query.deleted} is deleted.`
        : null;
    render(req, res, session, blank(200, notice));
  });

  router.post('/admin/photos', async (req, res) => {
    const session = newsroomSession(res.locals);
    const upload = await readPhotoUpload(req, config.photoUploadBytes);
    const values = { alt: upload.fields.alt ?? '', caption: upload.fields.caption ?? '', credit: upload.fields.credit ?? '' };
    const words = photoWords.safeParse(values);
    const errors: Record<string, string> = words.success ? {} : fieldErrors(words.error);
    const maxMb = Math.round(config.photoUploadBytes / 1024 / 1024);
    if (upload.tooLarge) errors.file = `This file is larger than ${maxMb} MB: make it smaller and choose it again.`;
    else if (!upload.file || upload.file.data.length === 0) errors.file = 'Choose a photo file (JPEG, PNG or WebP).';
    if (Object.keys(errors).length > 0 || !words.success || !upload.file) {
      return render(req, res, session, { values, errors, status: upload.tooLarge ? 413 : 422, notice: null });
    }
    let stored;
    try {
      stored = await deps.photoStore.importUpload(upload.file.data, upload.file.mimeType, config.photoMaxPixels);
    } catch (error) {
      if (!(error instanceof PhotoRejected)) throw error;
      return render(req, res, session, { values, errors: { file: `${error.message} Choose the file again.` }, status: 422, notice: null });
    }
    const id = deps.db.transaction(() => {
      const photo = deps.page.content.photos.upsert({ ...stored, ...words.data });
      newsroom.audit.add({
        at: deps.now(),
        userId: session.user.id,
        email: session.user.email,
        action: 'uploaded photo',
        subject: `photo ${photo}`,
        detail: words.data.alt,
      });
      return photo;
    })();
    res.redirect(303, `/admin/photos?uploaded=${id}`);
  });

  router.post('/admin/photos/:id/delete', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'editor');
    const id = photoId.safeParse(req.params.id);
    const photo = id.success ? deps.page.content.photos.findById(id.data) : undefined;
    if (!photo) throw new NotFoundError('There is no such photo.');
    const deleted = deps.db
      .transaction(() => {
        const uses = photoLibrary.uses(photo.id);
        if (uses > 0) return uses;
        photoLibrary.remove(photo.id);
        newsroom.audit.add({
          at: deps.now(),
          userId: session.user.id,
          email: session.user.email,
          action: 'deleted photo',
          subject: `photo ${photo.id}`,
          detail: photo.alt,
        });
        return 0;
      })
      .immediate();
    if (deleted > 0) {
      return render(req, res, session, {
        ...blank(409),
        errors: {
          delete: `Photo ${photo.id} is used by ${deleted} ${deleted === 1 ? 'story or promo' : 'stories or promos'}, so it stays. Take it out of them first.`,
        },
      });
    }
    res.redirect(303, `/admin/photos?deleted=${photo.id}`);
  });

  return router;
}
