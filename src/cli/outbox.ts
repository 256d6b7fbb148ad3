// npm run outbox -- [--last N]: the newest mails kept in the outbox, printed to this terminal.
// Without SMTP_URL (development, trials) this is how to read a confirmation link. The server never
// logs a mail: addresses, links and bodies are readers' data, and logs outlive erasure.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { openDatabase } from '../db/open-database';
import { createMailOutboxRepository } from '../mail/mail-outbox-repository';
import { runCommand } from './run-command';

const USAGE = 'Usage: npm run -s outbox -- [--last N]';

runCommand(async () => {
  let last: number;
  try {
    const { values } = parseArgs({ options: { last: { type: 'string', default: '1' } }, allowPositionals: false });
    last = Number(values.last);
  } catch {
    throw new Error(USAGE);
  }
  if (!Number.isInteger(last) || last < 1 || last > 100) throw new Error(`--last takes a whole number from 1 to 100. ${USAGE}`);
  const { databasePath } = loadConfig();
  if (!fs.existsSync(databasePath)) throw new Error(`There is no database at ${databasePath}: check DATABASE_PATH.`);
  const db = openDatabase(databasePath, { readonly: true });
  try {
    const mails = createMailOutboxRepository(db).listNewest(last);
    if (mails.length === 0) console.log('The outbox is empty.');
    for (const mail of mails) {
      console.log(`#${mail.id} ${mail.status}\nTo: ${mail.to_address}\nSubject: ${mail.subject}\n\n${mail.text_body}\n`);
    }
  } finally {
    db.close();
  }
});
