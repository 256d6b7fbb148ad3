// npm run subscribers:erase -- EMAIL: removes everything kept about one person (subscription,
// consent records, mail in the outbox).
import { loadConfig } from '../config';
import { openDatabase } from '../db/open-database';
import { createSubscriptionRepository } from '../subscriptions/subscriptions-repository';
import { normaliseEmail } from '../subscriptions/signup-form';
import { runCommand } from './run-command';

runCommand(async () => {
  const [email, ...rest] = process.argv.slice(2);
  if (!email || rest.length > 0) throw new Error('Usage: npm run subscribers:erase -- EMAIL');
  const db = openDatabase(loadConfig().databasePath);
  try {
    const address = normaliseEmail(email);
    const removed = createSubscriptionRepository(db).erase(address);
    console.log(removed > 0 ? `Erased ${address} (${removed} rows).` : `Nothing is stored for ${address}.`);
  } finally {
    db.close();
  }
});
