import type { SubscriberExportRow } from './subscriptions-repository';

const COLUMNS = [
  'email',
  'name',
  'plan',
  'status',
  'created_at',
  'confirmed_at',
  'unsubscribed_at',
  'consent_version',
  'consent_given_at',
  'consent_source',
] as const;

/**
 * One CSV field (RFC 4180). A value that a spreadsheet would run as a formula (=, +, -, @, tab,
 * carriage return) is prefixed with a quote mark, since names are typed by strangers.
 */
export function csvField(value: string | null): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV's first line, with its line ending. */
export const subscriberCsvHeader = (): string => `${COLUMNS.join(',')}\r\n`;

/** One subscriber as a CSV line, with its line ending. */
export function subscriberCsvLine(row: SubscriberExportRow): string {
  const values: Record<(typeof COLUMNS)[number], string | null> = {
    email: row.email,
    name: row.name,
    plan: row.plan_code,
    status: row.status,
    created_at: row.created_at,
    confirmed_at: row.confirmed_at,
    unsubscribed_at: row.unsubscribed_at,
    consent_version: row.consent_version,
    consent_given_at: row.consent_given_at,
    consent_source: row.consent_source,
  };
  return `${COLUMNS.map((column) => csvField(values[column])).join(',')}\r\n`;
}

export function subscribersCsv(rows: SubscriberExportRow[]): string {
  return subscriberCsvHeader() + rows.map(subscriberCsvLine).join('');
}
