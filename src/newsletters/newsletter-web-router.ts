import { Router } from 'express';
import type { AppDeps } from '../app-deps';
import { NotFoundError } from '../errors';
import { MAIL_PAGE_CONTENT_SECURITY_POLICY } from '../http/security-headers';

// /newsletters/{YYYY-MM-DD}: the web version of a review that has gone out, as it was sent
// ("View in your browser" in every mail links here). Drafts and scheduled issues are not public.

export function createNewsletterWebRouter(deps: AppDeps): Router {
  const router = Router();

  router.get('/newsletters/:date', (req, res) => {
    const date = req.params.date;
    const issue = /^\d{4}-\d{2}-\d{2}$/.test(date) ? deps.newsletterEditor.findByDate(date) : undefined;
    if (!issue || !issue.web_html || (issue.status !== 'sending' && issue.status !== 'sent')) {
      throw new NotFoundError('There is no weekly review of that date.');
    }
    res.set({
      'Content-Security-Policy': MAIL_PAGE_CONTENT_SECURITY_POLICY,
      // What was sent does not change: shared caches may keep it.
      'Cache-Control': 'public, max-age=3600, stale-while-revalidate=86400',
      'Last-Modified': new Date(issue.started_at!).toUTCString(),
    });
    res.type('html').send(issue.web_html);
  });

  return router;
}
