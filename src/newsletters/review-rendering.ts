import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { VIEWS_DIR } from '../project-paths';
import { articlePath, absoluteUrl } from '../site/site-urls';
import type { IssueRow, IssueStoryRow } from './newsletters-repository';

// The weekly review as mail (an HTML part and a plain-text part) and as its web page, rendered
// once per issue. A mail's only per-reader part is its unsubscribe link: it stands in the text as
// a placeholder that `personalize` fills in for each recipient, so that a send of 100,000 mails
// renders the template once.

// No text a person types holds a NUL, so the placeholder can never be mistaken for their words.
export const UNSUBSCRIBE_PLACEHOLDER = '\u0000unsubscribe\u0000';
const REVIEW_TITLE = 'The weekly review';

const template = ejs.compile(fs.readFileSync(path.join(VIEWS_DIR, 'mail', 'review.ejs'), 'utf8'));
const longDate = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });

export type RenderedReview = { mail_html: string; mail_text: string; web_html: string };
export type ReviewSite = { siteName: string; siteUrl: string; tracking: boolean };

export const reviewPath = (issueDate: string): string => `/newsletters/${issueDate}`;

function storyUrl(site: ReviewSite, issue: Pick<IssueRow, 'issue_date'>, story: IssueStoryRow): string {
  const url = absoluteUrl(site.siteUrl, articlePath(story.section_path, story.published_at, story.slug));
  // Only when the operator turned tracking on (NEWSLETTER_TRACKING=on): campaign parameters, no pixels.
  return site.tracking ? `${url}?utm_source=newsletter&utm_medium=email&utm_campaign=review-${issue.issue_date}` : url;
}

/** The stories in the editor's order, grouped under their section as they come (consecutive runs). */
function groups(site: ReviewSite, issue: Pick<IssueRow, 'issue_date'>, stories: readonly IssueStoryRow[]) {
  const result: { heading: string; stories: { headline: string; deck: string; url: string; section: string }[] }[] = [];
  const included = stories.filter((story) => !story.left_out);
  included.forEach((story, index) => {
    // The first stories, one from each section, are the top stories; after them, by section.
    const heading = index < topStoryCount(included) ? 'Top stories' : story.section_name;
    let group = result[result.length - 1];
    if (!group || group.heading !== heading) result.push((group = { heading, stories: [] }));
    group.stories.push({ headline: story.headline, deck: story.deck, url: storyUrl(site, issue, story), section: story.section_name });
  });
  return result;
}

/** How many stories open the review as its top stories: as many as lead with distinct sections, at most 5. */
function topStoryCount(stories: readonly IssueStoryRow[]): number {
  const seen = new Set<number>();
  let count = 0;
  for (const story of stories) {
    if (seen.has(story.section_id) || count === 5) break;
    seen.add(story.section_id);
    count += 1;
  }
  return stories.length - count < 2 ? stories.length : count;
}

export function renderReview(
  site: ReviewSite,
  issue: Pick<IssueRow, 'issue_date' | 'subject' | 'introduction'>,
  stories: readonly IssueStoryRow[],
): RenderedReview {
  const webUrl = absoluteUrl(site.siteUrl, reviewPath(issue.issue_date));
  const introduction = issue.introduction
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  const base = {
    subject: issue.subject,
    title: REVIEW_TITLE,
    dateText: longDate.format(new Date(`${issue.issue_date}T12:00:00Z`)),
    siteName: site.siteName,
    siteUrl: site.siteUrl,
    webUrl,
    subscribeUrl: absoluteUrl(site.siteUrl, '/subscribe'),
    introduction,
    groups: groups(site, issue, stories),
    unsubscribePlaceholder: UNSUBSCRIBE_PLACEHOLDER,
  };
  const text = [
    `${site.siteName}: ${REVIEW_TITLE}, ${base.dateText}`,
    `View in your browser: ${webUrl}`,
    '',
    ...introduction.flatMap((paragraph) => [paragraph, '']),
    ...base.groups.flatMap((group) => [
      group.heading.toUpperCase(),
      '',
      ...group.stories.flatMap((story) => [story.headline, ...(story.deck ? [story.deck] : []), story.url, '']),
    ]),
    '--',
    `You receive this because you subscribed at ${site.siteUrl}.`,
    `Unsubscribe with one click: ${UNSUBSCRIBE_PLACEHOLDER}`,
  ].join('\n');
  return {
    mail_html: template({ review: { ...base, web: false } }),
    mail_text: text,
    web_html: template({ review: { ...base, web: true } }),
  };
}

/** One recipient's copy: their own unsubscribe link in both parts. */
export function personalize(
  rendered: Pick<RenderedReview, 'mail_html' | 'mail_text'>,
  unsubscribeUrl: string,
): { html: string; text: string } {
  return {
    html: rendered.mail_html.replaceAll(UNSUBSCRIBE_PLACEHOLDER, ejs.escapeXML(unsubscribeUrl)),
    text: rendered.mail_text.replaceAll(UNSUBSCRIBE_PLACEHOLDER, unsubscribeUrl),
  };
}
