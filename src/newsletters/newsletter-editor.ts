import type { Db } from '../db/open-database';
import { createMailOutboxRepository } from '../mail/mail-outbox-repository';
import type { NewsroomAuditRepository } from '../newsroom/newsroom-audit-repository';
import type { SectionDirectory } from '../site/section-directory';
import { absoluteUrl } from '../site/site-urls';
import { composeReview } from './review-composition';
import { createNewslettersRepository, type IssueRow, type IssueStoryRow } from './newsletters-repository';
import { personalize, renderReview, type RenderedReview, type ReviewSite } from './review-rendering';

// The newsroom's use cases for the weekly review: compose an issue from the week's stories, edit
// it (subject, introduction, order, stories left out), preview it, mail a test to oneself,
// schedule it or send it now. Each change is written with its audit entry in one transaction.
// Sending itself is newsletter-sender.ts's, in the primary process: "Send now" schedules the
// issue for this minute, and the sender starts it within a second.

type Editor = { id: number; email: string };
export type IssueEdit = { subject: string; introduction: string; stories: { articleId: number; position: number; leftOut: boolean }[] };
export class NewsletterRefused extends Error {}

const DAY_MS = 86_400_000;

export function createNewsletterEditor(db: Db, audit: NewsroomAuditRepository, site: ReviewSite & { smtpEnabled: boolean }) {
  const newsletters = createNewslettersRepository(db);
  const outbox = createMailOutboxRepository(db);
  const record = (editor: Editor, action: string, issue: Pick<IssueRow, 'id' | 'issue_date'>, detail = '', now: string) =>
    audit.add({ at: now, userId: editor.id, email: editor.email, action, subject: `review ${issue.issue_date}`, detail });

  const compose = db.transaction((editor: Editor, directory: SectionDirectory, issueDate: string, subject: string, now: string) => {
    if (newsletters.findByDate(issueDate))
      throw new NewsletterRefused(`There is an issue for ${issueDate} already: open it from the list.`);
    const until = new Date(Math.min(Date.parse(`${issueDate}T23:59:59.999Z`), Date.parse(now))).toISOString();
    const from = new Date(Date.parse(until) - 7 * DAY_MS).toISOString();
    const id = newsletters.create({ issue_date: issueDate, subject, introduction: '', created_by: editor.email, now });
    const stories = composeReview(directory, newsletters.weekStories(from, until));
    newsletters.replaceStories(
      id,
      stories.map((story, index) => ({ article_id: story.id, position: index + 1, left_out: false })),
    );
    record(editor, 'composed review', { id, issue_date: issueDate }, `${stories.length} stories`, now);
    return id;
  });

  const save = db.transaction((editor: Editor, issue: IssueRow, edit: IssueEdit, now: string) => {
    const known = new Set(newsletters.stories(issue.id).map((story) => story.article_id));
    if (edit.stories.some((story) => !known.has(story.articleId))) throw new NewsletterRefused('A story in the form is not in this issue.');
    if (!newsletters.updateDraft(issue.id, edit.subject, edit.introduction, now))
      throw new NewsletterRefused('This issue is being sent or was sent: it cannot change now.');
    const ordered = [...edit.stories].sort((a, b) => a.position - b.position || a.articleId - b.articleId);
    newsletters.replaceStories(
      issue.id,
      ordered.map((story, index) => ({ article_id: story.articleId, position: index + 1, left_out: story.leftOut })),
    );
    record(editor, 'edited review', issue, '', now);
  });

  const schedule = db.transaction((editor: Editor, issue: IssueRow, sendAt: string | null, now: string) => {
    if (sendAt !== null && !site.smtpEnabled)
      throw new NewsletterRefused('SMTP_URL is not set, so no review can be sent: ask an operator to set it.');
    if (sendAt !== null && newsletters.stories(issue.id).every((story) => story.left_out)) {
      throw new NewsletterRefused('Every story is left out: put at least one in before sending.');
    }
    if (!newsletters.schedule(issue.id, sendAt, now)) throw new NewsletterRefused('This issue is being sent or was sent already.');
    record(
      editor,
      sendAt === null ? 'unscheduled review' : sendAt <= now ? 'sent review now' : 'scheduled review',
      issue,
      sendAt ?? '',
      now,
    );
  });

  const sendTest = db.transaction((editor: Editor, issue: IssueRow, now: string) => {
    const rendered = preview(issue);
    // The editor is no subscriber: the unsubscribe link of a test goes to the sign-up page.
    const body = personalize(rendered, absoluteUrl(site.siteUrl, '/subscribe'));
    outbox.enqueue(
      {
        subscription_id: null,
        kind: 'review-test',
        to_address: editor.email,
        subject: `[Test] ${issue.subject}`,
        text_body: body.text,
        html_body: body.html,
        headers: {},
      },
      now,
    );
    record(editor, 'sent review test', issue, '', now);
  });

  function preview(issue: IssueRow): RenderedReview {
    // Once sending has started, what was sent; before, what would be.
    if (issue.mail_html && issue.mail_text && issue.web_html)
      return { mail_html: issue.mail_html, mail_text: issue.mail_text, web_html: issue.web_html };
    return renderReview(site, issue, newsletters.stories(issue.id));
  }

  return {
    list: (limit = 100) => newsletters.list(limit),
    find: (id: number): IssueRow | undefined => newsletters.findById(id),
    findByDate: (date: string): IssueRow | undefined => newsletters.findByDate(date),
    stories: (issueId: number): IssueStoryRow[] => newsletters.stories(issueId),
    progress: (issueId: number) => newsletters.progress(issueId),
    /** Creates an issue for a date, filled in from the week's stories; its id. */
    compose: (editor: Editor, directory: SectionDirectory, issueDate: string, subject: string, now: string): number =>
      compose.immediate(editor, directory, issueDate, subject, now),
    save: (editor: Editor, issue: IssueRow, edit: IssueEdit, now: string): void => save.immediate(editor, issue, edit, now),
    /** Schedules for `sendAt` (now or later), or with null takes the issue back to a draft. */
    schedule: (editor: Editor, issue: IssueRow, sendAt: string | null, now: string): void => schedule.immediate(editor, issue, sendAt, now),
    sendTest: (editor: Editor, issue: IssueRow, now: string): void => sendTest.immediate(editor, issue, now),
    preview,
  };
}

export type NewsletterEditor = ReturnType<typeof createNewsletterEditor>;
