// npm run sections -- list | add PATH NAME [--description TEXT] [--position N]
// The site's sections, from the shell: a fresh database has none (npm run seed loads the seed
// site's), and an import needs the sections its stories go in.
import { z } from 'zod';
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/open-database';
import { createSectionRepository } from '../site/sections-repository';
import { runCommand } from './run-command';

const USAGE = `Usage: npm run sections -- list
       npm run sections -- add PATH NAME [--description TEXT] [--position N]
  PATH is "World" for a top-level section or "World/Asia-Pacific" under an existing one; NAME is
  what readers see ("Asia Pacific"). Adding a path that exists changes its name, description and position.`;

const addSchema = z.object({
  path: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9-]*(\/[A-Za-z0-9][A-Za-z0-9-]*)?$/,
      `PATH must be like "World" or "World/Asia-Pacific" (letters, digits and hyphens)`,
    ),
  name: z.string().trim().min(1, 'NAME is empty').max(80, 'NAME must be at most 80 characters'),
  description: z.string().trim().max(500, 'the description must be at most 500 characters').default(''),
  position: z.coerce
    .number({ error: '--position must be a whole number' })
    .int('--position must be a whole number')
    .min(0)
    .max(10_000)
    .optional(),
});

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const [, value] = args.splice(index, 2);
  if (value === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
  return value;
}

runCommand(async () => {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const [command, ...rest] = args;
  const db = openDatabase(loadConfig().databasePath);
  try {
    migrate(db);
    const sections = createSectionRepository(db);
    if (command === 'list' && rest.length === 0) {
      const all = sections.listAll();
      if (all.length === 0) console.log('No sections yet: npm run seed loads the seed site, or add one with npm run sections -- add.');
      for (const section of all) console.log(`${section.path}\t${section.name}`);
      return;
    }
    if (command !== 'add') throw new Error(USAGE);
    const description = option(rest, '--description');
    const position = option(rest, '--position');
    if (rest.length !== 2 || rest.some((arg) => arg.startsWith('--'))) throw new Error(USAGE);
    const parsed = addSchema.safeParse({ path: rest[0], name: rest[1], description, position });
    if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join('\n'));
    const input = parsed.data;
    const existing = sections.findByPath(input.path);
    const section = sections.upsert({
      path: existing?.path ?? input.path,
      name: input.name,
      description: input.description,
      position: input.position ?? existing?.position ?? sections.listAll().length,
    });
    console.log(`${existing ? 'Updated' : 'Added'} section ${section.path} ("${section.name}").`);
  } finally {
    db.close();
  }
});
