// npm run subscribers:erase -- EMAIL: removes everything kept about one person (subscription,
// consent records, mail in the outbox), matching the address in any letter case as sign-up does.
import fs from 'node:fs';
import { loadConfig } from '../config';
import { openDatabase } from '../db/open-database';
import { createSubscriptionRepository } from '../subscriptions/subscriptions-repository';
import { signupFormSchema } from '../subscriptions/signup-form';
import { runCommand } from './run-command';

const USAGE = 'Usage: npm run subscribers:erase -- EMAIL';

runCommand(async () => {
  const [email, ...rest] = process.argv.slice(2);
  if (!email || rest.length > 0) throw new Error(USAGE);
  // The sign-up form's own rule for an address, so that anything it could store can be erased.
  const parsed = signupFormSchema.shape.email.safeParse(email);
  if (!parsed.success) throw new Error(`"${email}" is not an email address. ${USAGE}`);
  const { databasePath } = loadConfig();
  // Only an existing database: a wrong DATABASE_PATH must not create an empty one and say "nothing".
  if (!fs.existsSync(databasePath)) throw new Error(`There is no database at ${databasePath}: check DATABASE_PATH.`);
  const db = openDatabase(databasePath);
  try {
    const removed = createSubscriptionRepository(db).erase(parsed.data);
    if (removed.subscriptions + removed.mails === 0) console.log(`Nothing is stored for ${parsed.data}.`);
    else {
      console.log(
        `Erased ${removed.addresses.join(', ') || parsed.data}: ${removed.subscriptions} subscription, ${removed.consents} consent records, ${removed.mails} mails.`,
      );
    }
  } finally {
    db.close();
  }
});
