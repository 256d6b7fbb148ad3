// npm run newsroom:add-user -- EMAIL --role writer|editor|admin
// Adds a newsroom account with a password read from standard input: typed at a terminal (not
// shown), or piped (`printf '%s\n' "$PASSWORD" | npm run -s newsroom:add-user -- ...`), so that
// it never appears in a process list or the shell's history. There is no default account: the
// first admin comes from here.
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/open-database';
import { AccountError, createNewsroomAccounts } from '../newsroom/newsroom-accounts';
import { emailSchema } from '../newsroom/newsroom-forms';
import { ROLES, type Role } from '../newsroom/newsroom-users-repository';
import { runCommand } from './run-command';

const USAGE = `Usage: npm run newsroom:add-user -- EMAIL --role writer|editor|admin
  Reads the password (12 characters or more) from standard input.`;

/** One line from standard input; at a terminal, typed without echo. */
function readPassword(): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    return new Promise((resolve, reject) => {
      let data = '';
      input.setEncoding('utf8');
      input.on('data', (chunk: string) => (data += chunk));
      input.on('end', () => resolve(data.split(/\r?\n/)[0] ?? ''));
      input.on('error', reject);
    });
  }
  process.stderr.write('Password (not shown): ');
  return new Promise((resolve) => {
    let typed = '';
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.resume();
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          input.setRawMode(false);
          input.pause();
          input.off('data', onData);
          process.stderr.write('\n');
          return resolve(typed);
        }
        if (char === '\u0003') {
          input.setRawMode(false);
          process.stderr.write('\n');
          process.exit(130);
        }
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    input.on('data', onData);
  });
}

runCommand(async () => {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const roleAt = args.indexOf('--role');
  const role = roleAt === -1 ? undefined : args[roleAt + 1];
  const rest = args.filter((_, i) => i !== roleAt && i !== roleAt + 1);
  if (rest.length !== 1 || !role) throw new Error(USAGE);
  const email = emailSchema.safeParse(rest[0]);
  if (!email.success) throw new Error(`"${rest[0]}" is not an email address.\n${USAGE}`);
  if (!(ROLES as readonly string[]).includes(role)) throw new Error(`The role must be writer, editor or admin, not "${role}".`);

  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  try {
    migrate(db);
    const accounts = createNewsroomAccounts(db, { siteUrl: config.siteUrl, siteName: config.siteName });
    const password = await readPassword();
    const user = await accounts.addWithPassword(email.data, role as Role, password, new Date().toISOString());
    console.log(`Added ${user.email} as ${user.role}. Sign in at ${config.siteUrl}/admin/login`);
  } catch (error) {
    throw error instanceof AccountError ? new Error(error.message) : error;
  } finally {
    db.close();
  }
});
