import type { Db } from '../db/open-database';

export type SectionRow = {
  id: number;
  parent_id: number | null;
  slug: string;
  name: string;
  path: string;
  position: number;
  description: string;
};

export type SectionInput = { path: string; name: string; position: number; description: string };

export function createSectionRepository(db: Db) {
  const all = db.prepare<[], SectionRow>('SELECT * FROM sections ORDER BY position, path');
  const byPath = db.prepare<[string], SectionRow>('SELECT * FROM sections WHERE path = ?');
  const insert = db.prepare<[number | null, string, string, string, number, string]>(
    'INSERT INTO sections (parent_id, slug, name, path, position, description) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare<SectionInput & { id: number }>(
    `UPDATE sections SET path = @path, name = @name, position = @position, description = @description
     WHERE id = @id AND (path, name, position, description) IS NOT (@path, @name, @position, @description)`,
  );

  return {
    listAll: (): SectionRow[] => all.all(),
    /** Case-insensitive: "world/asia-pacific" finds "World/Asia-Pacific". */
    findByPath: (path: string): SectionRow | undefined => byPath.get(path),
    /** Creates or updates a section by its path; its parent (the path minus its last part) must exist. */
    upsert(input: SectionInput): SectionRow {
      const parts = input.path.split('/');
      const slug = parts[parts.length - 1]!;
      const parentPath = parts.slice(0, -1).join('/');
      const parent = parentPath ? byPath.get(parentPath) : undefined;
      if (parentPath && !parent) throw new Error(`Section ${input.path} needs its parent ${parentPath} first`);
      const existing = byPath.get(input.path);
      if (existing) update.run({ ...input, id: existing.id });
      else insert.run(parent?.id ?? null, slug, input.name, input.path, input.position, input.description);
      return byPath.get(input.path)!;
    },
  };
}

export type SectionRepository = ReturnType<typeof createSectionRepository>;
