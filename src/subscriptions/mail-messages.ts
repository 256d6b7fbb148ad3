import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import type { OutboxMail } from '../mail/mail-outbox-repository';
import { VIEWS_DIR } from '../project-paths';

// The mails of the sign-up flow. Each has a plain-text and an HTML part, a visible unsubscribe
// link, and the RFC 8058 headers that let mail clients offer one-click unsubscribe.

export type MailKind = 'confirm' | 'confirm-changes' | 'welcome' | 'already-subscribed';

type MailContent = { subject: string; heading: string; paragraphs: string[]; action: { text: string; url: string } | null };

const template = ejs.compile(fs.readFileSync(path.join(VIEWS_DIR, 'mail', 'message.ejs'), 'utf8'));

function content(kind: MailKind, siteName: string, offerName: string, links: { confirmUrl?: string; siteUrl: string }): MailContent {
  switch (kind) {
    case 'confirm':
      return {
        subject: `Confirm your subscription to ${offerName}`,
        heading: 'Please confirm your subscription',
        paragraphs: [
          `Thank you for signing up for ${offerName}. To start receiving it, confirm that this is your address.`,
          'The link works for 48 hours. If you did not sign up, ignore this mail and nothing will be sent to you.',
        ],
        action: { text: 'Confirm my subscription', url: links.confirmUrl! },
      };
    case 'confirm-changes':
      return {
        subject: `Confirm the new details of your ${offerName} subscription`,
        heading: 'Please confirm these changes',
        paragraphs: [
          `Someone, probably you, asked to change the name or edition of this address's subscription to ${offerName}.`,
          'Nothing changes until you confirm. The link works for 48 hours. If that was not you, ignore this mail.',
        ],
        action: { text: 'Confirm the changes', url: links.confirmUrl! },
      };
    case 'welcome':
      return {
        subject: `Welcome to ${offerName}`,
        heading: 'Your subscription is confirmed',
        paragraphs: [
          `Welcome to ${offerName}: a weekly review of global news and ideas from ${siteName}.`,
          'Your first issue arrives this week.',
        ],
        action: { text: `Read ${siteName} now`, url: links.siteUrl },
      };
    case 'already-subscribed':
      return {
        subject: `You are already subscribed to ${offerName}`,
        heading: 'You are already subscribed',
        paragraphs: [
          `Someone, probably you, asked to subscribe this address to ${offerName}. It is already subscribed, so nothing has changed.`,
          'If that was not you, you can ignore this mail.',
        ],
        action: null,
      };
  }
}

export function composeMail(options: {
  kind: MailKind;
  to: string;
  subscriptionId: number;
  siteName: string;
  siteUrl: string;
  offerName: string;
  unsubscribeUrl: string;
  confirmUrl?: string;
}): OutboxMail {
  const c = content(options.kind, options.siteName, options.offerName, { confirmUrl: options.confirmUrl, siteUrl: options.siteUrl });
  const text = [
    c.heading,
    '',
    ...c.paragraphs.flatMap((p) => [p, '']),
    ...(c.action ? [`${c.action.text}: ${c.action.url}`, ''] : []),
    '--',
    `You receive this because this address was entered at ${options.siteUrl}.`,
    `Unsubscribe with one click: ${options.unsubscribeUrl}`,
  ].join('\n');
  return {
    subscription_id: options.subscriptionId,
    kind: options.kind,
    to_address: options.to,
    subject: c.subject,
    text_body: text,
    html_body: template({ mail: { ...c, siteName: options.siteName, siteUrl: options.siteUrl, unsubscribeUrl: options.unsubscribeUrl } }),
    headers: {
      'List-Unsubscribe': `<${options.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}
