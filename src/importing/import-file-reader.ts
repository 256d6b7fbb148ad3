import fs from 'node:fs';
import readline from 'node:readline';

export type RawImportRecord = { line: number; value: unknown } | { line: number; error: string };

/**
 * Reads an import file record by record with the line each record starts on: NDJSON (one object
 * a line, streamed, so large files never sit in memory whole) or a JSON array.
 */
export async function* readImportRecords(file: string): AsyncGenerator<RawImportRecord> {
  if (await startsWithArray(file)) {
    yield* readJsonArray(await fs.promises.readFile(file, 'utf8'));
    return;
  }
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const text of lines) {
    lineNumber += 1;
    if (text.trim() === '') continue;
    try {
      yield { line: lineNumber, value: JSON.parse(text) };
    } catch (error) {
      yield { line: lineNumber, error: `not valid JSON (${(error as Error).message})` };
    }
  }
}

async function startsWithArray(file: string): Promise<boolean> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(512), 0, 512, 0);
    return buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart()
      .startsWith('[');
  } finally {
    await handle.close();
  }
}

/**
 * Splits a JSON array into its elements by scanning brackets and strings, then parses each one
 * alone: a broken record is reported on its own line and does not sink the rest of the file.
 */
function* readJsonArray(text: string): Generator<RawImportRecord> {
  const elements = topLevelElements(text.replace(/^\uFEFF/, ''));
  if (!elements) {
    yield { line: 1, error: 'not valid JSON: a JSON file must hold one array of articles, with its brackets balanced' };
    return;
  }
  for (const element of elements) {
    try {
      yield { line: element.line, value: JSON.parse(element.text) };
    } catch (error) {
      yield { line: element.line, error: `not valid JSON (${(error as Error).message.split('\n')[0]})` };
    }
  }
}

type Element = { line: number; text: string };

/** The text and first line of each element of a top-level array, or null if it is not one. */
function topLevelElements(text: string): Element[] | null {
  const elements: Element[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let current: { line: number; start: number } | null = null;
  let closed = false;
  const finish = (end: number) => {
    if (current) elements.push({ line: current.line, text: text.slice(current.start, end) });
    current = null;
  };
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (ch === '\n') line += 1;
    if (inString) {
      if (ch === '\\') i += 1;
      else if (ch === '"') inString = false;
      continue;
    }
    const blank = ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
    if (closed) {
      if (!blank) return null;
      continue;
    }
    if (depth === 0) {
      if (ch === '[') depth = 1;
      else if (!blank) return null;
      continue;
    }
    if (depth === 1 && (ch === ',' || ch === ']')) {
      finish(i);
      if (ch === ']') {
        depth = 0;
        closed = true;
      }
      continue;
    }
    if (depth === 1 && !current && !blank) current = { line, start: i };
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') depth += 1;
    else if (ch === ']' || ch === '}') depth -= 1;
  }
  return closed ? elements : null;
}
