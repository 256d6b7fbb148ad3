// Dates are stored and shown in UTC: datelines say the day the story ran, the same for everyone.
const longDate = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' });
const dateTime = new Intl.DateTimeFormat('en-US', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});

export type DateView = { iso: string; text: string };

// Formatting a date through Intl costs about 10 µs, and a results page shows ten or more: the text
// of each UTC day is kept (a day's text never changes), a few thousand days at most.
const dayTexts = new Map<string, string>();
const MAX_DAYS_KEPT = 4096;

/** "June 29, 2013", with the ISO form for `<time datetime>`. */
export function dateView(iso: string): DateView {
  // Only a time in UTC ("…Z", as every stored time is) names its day in its first ten characters.
  if (!iso.endsWith('Z')) return { iso, text: longDate.format(new Date(iso)) };
  const day = iso.slice(0, 10);
  let text = dayTexts.get(day);
  if (text === undefined) {
    text = longDate.format(new Date(iso));
    if (dayTexts.size >= MAX_DAYS_KEPT) dayTexts.clear();
    dayTexts.set(day, text);
  }
  return { iso, text };
}

/** "June 30, 2013 at 9:15 AM UTC", for update notices. */
export const dateTimeView = (iso: string): DateView => ({ iso, text: dateTime.format(new Date(iso)) });
