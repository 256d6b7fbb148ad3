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

/** "June 29, 2013", with the ISO form for `<time datetime>`. */
export const dateView = (iso: string): DateView => ({ iso, text: longDate.format(new Date(iso)) });

/** "June 30, 2013 at 9:15 AM UTC", for update notices. */
export const dateTimeView = (iso: string): DateView => ({ iso, text: dateTime.format(new Date(iso)) });
