import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { NotFoundError } from '../errors';
import { MAIL_PAGE_CONTENT_SECURITY_POLICY } from '../http/security-headers';
import { buildNewsroomChrome } from '../newsroom/newsroom-chrome';
import { fieldErrors } from '../newsroom/newsroom-forms';
import { newsroomSession } from '../newsroom/newsroom-request';
import { requireRole } from '../newsroom/newsroom-roles';
import type { NewsroomSession } from '../newsroom/newsroom-sessions';
import { articlePath } from '../site/site-urls';
import { NewsletterRefused } from './newsletter-editor';
import { issueEditFormSchema, newIssueFormSchema, newsletterActionSchema, sendAtSchema, storyRows } from './newsletter-forms';
import type { IssueRow } from './newsletters-repository';
import { personalize, reviewPath } from './review-rendering';

// /admin/newsletters (editors and admins): the weekly review's issues; composing one from the
// week's stories, editing it, previewing it in the browser, a test mail to oneself, scheduling or
// sending it now, and, once it goes out, its progress (the page refreshes itself while it sends).

const issueId = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31);
const PROGRESS_STREAM_MS = 10 * 60_000;
const utc = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '');
const STATUS_TEXT = { draft: 'Draft', scheduled: 'Scheduled', sending: 'Sending', sent: 'Sent' } as const;
const NOTICES: Record<string, string> = {
  saved: 'Saved.',
  test: 'A test copy is on its way to your address.',
  scheduled: 'Scheduled. It goes to every confirmed subscriber at the time set.',
  send: 'Sending has started: this page shows its progress.',
  unscheduled: 'No longer scheduled: it is a draft again.',
};

export function createNewslettersRouter(deps: AppDeps): Router {
  const router = Router();
  const { page, newsletterEditor: editor } = deps;

  const findIssue = (id: string | undefined): IssueRow => {
    const parsed = issueId.safeParse(id);
    const issue = parsed.success ? editor.find(parsed.data) : undefined;
    if (!issue) throw new NotFoundError('There is no such issue of the review.');
    return issue;
  };

  router.get('/admin/newsletters', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'editor');
    res.render('newsroom/newsletters', {
      view: {
        title: 'The weekly review',
        chrome: buildNewsroomChrome(page, session, '/admin/newsletters'),
        issues: editor.list().map((issue) => ({
          url: `/admin/newsletters/${issue.id}`,
          date: issue.issue_date,
          subject: issue.subject,
          status: STATUS_TEXT[issue.status],
          when: issue.status === 'sent' ? utc(issue.finished_at) : issue.send_at ? utc(issue.send_at) : '',
          recipients: issue.recipients === null ? '' : issue.recipients.toLocaleString('en-US'),
        })),
      },
    });
  });

  function renderNew(
    res: Response,
    session: NewsroomSession,
    status: number,
    values: { issueDate: string; subject: string },
    errors: Record<string, string>,
  ) {
    res.status(status).render('newsroom/newsletter-new', {
      view: { title: 'New issue of the review', chrome: buildNewsroomChrome(page, session, '/admin/newsletters'), values, errors },
    });
  }

  router.get('/admin/newsletters/new', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'editor');
    const today = deps.now().slice(0, 10);
    renderNew(res, session, 200, { issueDate: today, subject: `The week in review: ${today}` }, {});
  });

  router.post('/admin/newsletters', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'editor');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = {
      issueDate: typeof body.issueDate === 'string' ? body.issueDate.slice(0, 20) : '',
      subject: typeof body.subject === 'string' ? body.subject.slice(0, 300) : '',
    };
    const parsed = newIssueFormSchema.safeParse(body);
    if (!parsed.success) return renderNew(res, session, 422, values, fieldErrors(parsed.error));
    try {
      const id = editor.compose(session.user, page.content.sectionDirectory(), parsed.data.issueDate, parsed.data.subject, deps.now());
      res.redirect(303, `/admin/newsletters/${id}`);
    } catch (error) {
      if (!(error instanceof NewsletterRefused)) throw error;
      renderNew(res, session, 409, values, { issueDate: error.message });
    }
  });

  function renderIssue(
    res: Response,
    session: NewsroomSession,
    issue: IssueRow,
    options: { status?: number; errors?: Record<string, string>; notice?: string | null; values?: Record<string, unknown> } = {},
  ) {
    const editable = issue.status === 'draft' || issue.status === 'scheduled';
    const values = options.values ?? {};
    const text = (name: string, stored: string) => (typeof values[name] === 'string' ? (values[name] as string) : stored);
    const progress = editor.progress(issue.id);
    res.status(options.status ?? 200).render('newsroom/newsletter', {
      view: {
        title: `Review of ${issue.issue_date}`,
        chrome: buildNewsroomChrome(page, session, '/admin/newsletters'),
        // While it sends, a small script follows the progress stream: the figures move as you watch.
        progressUrl: issue.status === 'sending' ? `/admin/newsletters/${issue.id}/progress` : null,
        scriptUrl: issue.status === 'sending' ? page.assets.url('newsroom-progress.js') : null,
        issue: {
          id: issue.id,
          date: issue.issue_date,
          status: STATUS_TEXT[issue.status],
          sendAt: utc(issue.send_at),
          started: utc(issue.started_at),
          finished: utc(issue.finished_at),
          recipients: issue.recipients,
          webUrl: issue.status === 'sending' || issue.status === 'sent' ? reviewPath(issue.issue_date) : null,
        },
        editable,
        progress: { ...progress, left: progress.pending + progress.sending },
        values: {
          subject: text('subject', issue.subject),
          introduction: text('introduction', issue.introduction),
          sendAt: text('sendAt', issue.send_at?.slice(0, 16) ?? ''),
        },
        stories: editor.stories(issue.id).map((story) => ({
          id: story.article_id,
          headline: story.headline,
          section: story.section_name,
          published: utc(story.published_at),
          url: articlePath(story.section_path, story.published_at, story.slug),
          position: text(`order_${story.article_id}`, String(story.position)),
          leftOut:
            typeof values[`order_${story.article_id}`] === 'string'
              ? values[`leave_out_${story.article_id}`] === 'yes'
              : story.left_out === 1,
        })),
        smtpEnabled: deps.page.config.smtpUrl !== undefined,
        errors: options.errors ?? {},
        notice: options.notice ?? null,
      },
    });
  }

  router.get('/admin/newsletters/:id', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'editor');
    const issue = findIssue(req.params.id);
    // Own keys only: ?done=constructor must not show Object's source.
    const done = typeof req.query.done === 'string' && Object.hasOwn(NOTICES, req.query.done) ? NOTICES[req.query.done]! : null;
    renderIssue(res, session, issue, { notice: done });
  });

  // One form, several buttons: "Save", "Send test to me", "Schedule", "Send now", "Unschedule".
  // Every button saves what is in the form first, so nothing typed is lost.
  router.post('/admin/newsletters/:id', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'editor');
    const issue = findIssue(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const action = newsletterActionSchema.safeParse(body.action);
    if (!action.success)
      return renderIssue(res, session, issue, { status: 422, errors: { action: 'Choose one of the buttons' }, values: body });
    if (issue.status === 'sending' || issue.status === 'sent') {
      return renderIssue(res, session, issue, {
        status: 409,
        errors: { action: 'This issue is being sent or was sent: it cannot change now.' },
      });
    }
    const words = issueEditFormSchema.safeParse(body);
    const rows = storyRows(
      body,
      editor.stories(issue.id).map((story) => story.article_id),
    );
    const errors = { ...(words.success ? {} : fieldErrors(words.error)), ...rows.errors };
    let sendAt: string | null = null;
    const now = deps.now();
    if (action.data === 'schedule') {
      const parsed = sendAtSchema.safeParse(body.sendAt);
      if (!parsed.success) errors.sendAt = parsed.error.issues[0]!.message;
      else if (parsed.data <= now) errors.sendAt = 'Choose a time in the future, or use "Send now"';
      else sendAt = parsed.data;
    }
    if (!words.success || Object.keys(errors).length > 0) return renderIssue(res, session, issue, { status: 422, errors, values: body });
    try {
      editor.save(session.user, issue, { ...words.data, stories: rows.stories }, now);
      const saved = editor.find(issue.id)!;
      if (action.data === 'test') {
        editor.sendTest(session.user, saved, now);
        void deps.mailSender.wake();
      }
      if (action.data === 'schedule') editor.schedule(session.user, saved, sendAt, now);
      if (action.data === 'send') editor.schedule(session.user, saved, now, now);
      if (action.data === 'unschedule') editor.schedule(session.user, saved, null, now);
    } catch (error) {
      if (!(error instanceof NewsletterRefused)) throw error;
      return renderIssue(res, session, editor.find(issue.id)!, { status: 409, errors: { action: error.message }, values: body });
    }
    const done = { save: 'saved', test: 'test', schedule: 'scheduled', send: 'send', unschedule: 'unscheduled' }[action.data];
    res.redirect(303, `/admin/newsletters/${issue.id}?done=${done}`);
  });

  // Server-sent events: the send's figures once a second while it runs, then one last time.
  router.get('/admin/newsletters/:id/progress', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'editor');
    const issue = findIssue(req.params.id);
    // no-transform: the compression middleware would otherwise hold events back in its buffer;
    // X-Accel-Buffering: nor may a proxy in front.
    res.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'private, no-store, no-transform',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    const started = Date.now();
    const push = () => {
      const current = editor.find(issue.id);
      const progress = editor.progress(issue.id);
      const done = !current || current.status === 'sent';
      const figures = {
        sent: progress.sent,
        failed: progress.failed,
        left: progress.pending + progress.sending,
        skipped: progress.skipped,
        done,
      };
      res.write(`event: progress\ndata: ${JSON.stringify(figures)}\n\n`);
      // Finished, or open long enough (the browser reconnects by itself).
      if (done || Date.now() - started > PROGRESS_STREAM_MS) stop();
    };
    const timer = setInterval(push, 1000);
    const stop = () => {
      clearInterval(timer);
      res.end();
    };
    req.on('close', () => clearInterval(timer));
    push();
  });

  // The mail as subscribers will see it (or, once sent, as they saw it), with a harmless link in
  // place of their own unsubscribe link.
  router.get('/admin/newsletters/:id/preview', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'editor');
    const issue = findIssue(req.params.id);
    const body = personalize(editor.preview(issue), '/subscribe');
    res.set('Content-Security-Policy', MAIL_PAGE_CONTENT_SECURITY_POLICY);
    if (req.query.part === 'text') return res.type('text/plain; charset=utf-8').send(body.text);
    // The web version as /newsletters/{date} will show it once the issue goes out.
    if (req.query.part === 'web') return res.type('html').send(editor.preview(issue).web_html);
    res.type('html').send(body.html);
  });

  return router;
}
