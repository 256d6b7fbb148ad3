// The words a subscriber agrees to, versioned: a consent record keeps the version and the text
// as they were when the box was ticked. Change the version whenever the words change.
export const CONSENT_TEXT_VERSION = '2026-11-30';
export const consentText = (siteName: string) =>
  `Send me the weekly review from ${siteName} by email. I can unsubscribe at any time with one click.`;

/** The consent texts whose words cover mailing the weekly review: a subscriber's latest consent must be one. */
export const REVIEW_CONSENT_VERSIONS: string[] = [CONSENT_TEXT_VERSION];
