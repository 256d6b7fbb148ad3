// The commands behind `news COMMAND` (bin/news.js) and `npm run COMMAND`. Each command is its
// own file here that runs when loaded and reads its arguments from process.argv.slice(2), so
// running one is: drop the command's name from argv, point argv[1] at its file (the server's
// cluster workers and the Litestream wrapper start process.argv[1] again), and load it.
import path from 'node:path';

type Command = {
  name: string;
  /** The file that runs it, relative to this folder. */
  file: string;
  /** Arguments, for the list. */
  args: string;
  summary: string;
  /** Whether the command answers --help itself; otherwise the summary is its help. */
  ownHelp: boolean;
};

export const COMMANDS: readonly Command[] = [
  { name: 'start', file: '../server.js', args: '', summary: 'serve the site (what `npm start` and the image run)', ownHelp: false },
  { name: 'migrate', file: 'migrate.js', args: '', summary: 'apply pending migrations to DATABASE_PATH', ownHelp: false },
  { name: 'seed', file: 'seed.js', args: '', summary: "load the seed site's sections, stories and offer (safe to repeat)", ownHelp: false },
  { name: 'sections', file: 'sections.js', args: 'list | add PATH NAME', summary: 'list or add sections', ownHelp: true },
  {
    name: 'import',
    file: 'import.js',
    args: 'FILE [--dry-run]',
    summary: 'add or update stories from a JSON or NDJSON file',
    ownHelp: true,
  },
  { name: 'prerender', file: 'prerender.js', args: '[--limit N]', summary: 'store a render of every story that has none', ownHelp: true },
  {
    name: 'search:optimize',
    file: 'search-optimize.js',
    args: '',
    summary: 'merge the search indexes (after a large import; weekly)',
    ownHelp: false,
  },
  { name: 'backup', file: 'backup.js', args: 'DEST', summary: 'copy the database online, checked, to DEST', ownHelp: false },
  { name: 'restore', file: 'restore.js', args: 'REPLICA_URL', summary: 'rebuild DATABASE_PATH from a Litestream replica', ownHelp: true },
  {
    name: 'subscribers:export',
    file: 'subscribers-export.js',
    args: '[--status S] [--out FILE]',
    summary: 'subscribers as CSV',
    ownHelp: false,
  },
  { name: 'subscribers:erase', file: 'subscribers-erase.js', args: 'EMAIL', summary: "erase one subscriber's data", ownHelp: false },
  {
    name: 'newsroom:add-user',
    file: 'newsroom-add-user.js',
    args: 'EMAIL --role R',
    summary: 'add a newsroom account; the password is read from standard input',
    ownHelp: true,
  },
  { name: 'outbox', file: 'outbox.js', args: '[--last N]', summary: 'print the newest mails kept in the outbox', ownHelp: false },
  { name: 'edge', file: 'edge.js', args: '', summary: 'run a Varnish cache node in front of the site', ownHelp: true },
];

/** The exit code of a command line that names no known command, as shells use for misuse. */
export const EXIT_USAGE = 2;

export function usage(): string {
  const width = Math.max(...COMMANDS.map((command) => `${command.name} ${command.args}`.length));
  const lines = COMMANDS.map((command) => `  ${`${command.name} ${command.args}`.padEnd(width)}  ${command.summary}`);
  return [
    'Usage: news COMMAND [ARGUMENTS]      (in a checkout: npm run COMMAND -- ARGUMENTS)',
    '',
    'Commands:',
    ...lines,
    '',
    'Each reads the same environment as the site (DATABASE_PATH, SITE_URL, ...). `news COMMAND --help` says more.',
  ].join('\n');
}

export function runNewsCommand(args: readonly string[]): void {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    console.error(`news: there is no command "${name}".\n\n${usage()}`);
    process.exit(EXIT_USAGE);
  }
  if (!command.ownHelp && (rest.includes('--help') || rest.includes('-h'))) {
    console.log(`Usage: news ${command.name} ${command.args}\n  ${command.summary}`);
    return;
  }
  const file = path.join(__dirname, command.file);
  process.argv = [process.argv[0]!, file, ...rest];
  require(file);
}
