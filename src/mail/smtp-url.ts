// SMTP_URL as nodemailer's transport options. nodemailer reads an object holding `url` as the URL
// alone and drops every other option (pool, rates, getSocket), so a pooled transport needs the
// URL spelled out: smtp:// or smtps:// (TLS from the start), user and password, host and port,
// and query parameters as options (?ignoreTLS=true, ?requireTLS=true), as nodemailer's own parser.
export type SmtpUrlOptions = {
  host: string;
  port?: number;
  secure: boolean;
  auth?: { user: string; pass: string };
  [option: string]: unknown;
};

export function smtpOptionsFromUrl(smtpUrl: string): SmtpUrlOptions {
  const url = new URL(smtpUrl);
  const options: SmtpUrlOptions = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : undefined,
    secure: url.protocol === 'smtps:',
  };
  if (url.username) options.auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  for (const [key, value] of url.searchParams) {
    options[key] = value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value;
  }
  return options;
}
