// Used by the weekly review's tests (tests/integration/newsletter-*.test.ts) and npm run bench:newsletter.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

// A real SMTP server on loopback for the weekly review's tests and benchmark: it counts what it
// accepts per recipient, can refuse chosen recipients (a 550, or a 451 a few times), can stop
// answering (so a test can kill a sender while mails are in flight and unaccepted), and can keep
// the parsed mails. A mail counts as delivered only once the server has answered 250 to it.

export type SinkOptions = {
  /** A reply code to refuse a recipient with at RCPT TO (550: for good; 451: for now). */
  refuse?: (address: string) => number | undefined;
  /** Keep the parsed mails (tests that read them); the benchmark counts only. */
  parse?: boolean;
  /** Called once a mail is accepted, with its recipient. */
  onAccepted?: (address: string) => void;
};

export type SmtpSink = {
  url: string;
  /** Accepted mails per recipient address (lower case). */
  accepted: Map<string, number>;
  total: () => number;
  mails: ParsedMail[];
  /** From now on, take mails but never answer them: they stay in flight, unaccepted. */
  hold: () => void;
  /** Answers again, from the next mail on (the mails held stay unanswered). */
  resume: () => void;
  /** How many mails are waiting for an answer that hold() withholds. */
  held: () => number;
  close: () => Promise<void>;
};

export async function startSmtpSink(options: SinkOptions = {}): Promise<SmtpSink> {
  const accepted = new Map<string, number>();
  const mails: ParsedMail[] = [];
  let holding = false;
  let held = 0;
  let total = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    closeTimeout: 500,
    // No reverse DNS look-up of each client: on loopback it only adds a wait per connection.
    disableReverseLookup: true,
    onRcptTo(address, _session, callback) {
      const code = options.refuse?.(address.address.toLowerCase());
      if (code)
        return callback(Object.assign(new Error(code >= 500 ? 'No such mailbox here' : 'Mailbox busy, try later'), { responseCode: code }));
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const to = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
      const accept = () => {
        if (holding) {
          held += 1;
          return; // never answered
        }
        for (const address of to) {
          accepted.set(address, (accepted.get(address) ?? 0) + 1);
          total += 1;
          options.onAccepted?.(address);
        }
        callback();
      };
      if (options.parse) {
        simpleParser(stream)
          .then((mail) => {
            if (!holding) mails.push(mail);
            accept();
          })
          .catch(callback);
      } else {
        stream.on('data', () => undefined);
        stream.on('end', accept);
      }
    },
  });
  server.on('error', () => undefined); // a client killed mid-mail resets its connection
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    total: () => total,
    mails,
    hold: () => void (holding = true),
    resume: () => void (holding = false),
    held: () => held,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
