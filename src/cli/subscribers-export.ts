// npm run -s subscribers:export -- [--status pending|confirmed|unsubscribed] [--out FILE]
// Writes CSV to FILE, or to standard output (run npm with -s so that its banner stays out).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config';
import { openDatabase } from '../db/open-database';
import { createSubscriptionRepository } from '../subscriptions/subscriptions-repository';
import { subscribersCsv } from '../subscriptions/subscriber-csv';
import { runCommand } from './run-command';

const USAGE = 'Usage: npm run -s subscribers:export -- [--status pending|confirmed|unsubscribed] [--out FILE]';
const statusSchema = z.enum(['pending', 'confirmed', 'unsubscribed']).optional();

runCommand(async () => {
  let options: { status?: string; out?: string };
  try {
    options = parseArgs({ options: { status: { type: 'string' }, out: { type: 'string' } }, allowPositionals: false }).values;
  } catch {
    throw new Error(USAGE);
  }
  const status = statusSchema.safeParse(options.status);
  if (!status.success) throw new Error(USAGE);
  const db = openDatabase(loadConfig().databasePath, { readonly: true });
  try {
    const rows = createSubscriptionRepository(db).listForExport(status.data ?? null);
    const csv = subscribersCsv(rows);
    if (options.out) {
      // A new file only, readable by its owner alone: it holds every subscriber's address.
      try {
        fs.writeFileSync(options.out, csv, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST')
          throw new Error(`${options.out} exists already: name a new file.`, { cause: error });
        throw error;
      }
      console.error(`Wrote ${rows.length} subscribers to ${options.out}.`);
    } else process.stdout.write(csv);
  } finally {
    db.close();
  }
});
