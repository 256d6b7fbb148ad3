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
    return buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart().startsWith('[');
  } finally {
    await handle.close();
  }
}

function* readJsonArray(text: string): Generator<RawImportRecord> {
  let values: unknown;
  try {
    values = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const line = position ? lineAt(text, Number(position[1])) : 1;
    yield { line, error: `not valid JSON (${(error as Error).message})` };
    return;
  }
  if (!Array.isArray(values)) {
    yield { line: 1, error: 'a JSON file must hold an array of articles' };
    return;
  }
  const starts = topLevelElementLines(text);
  for (const [index, value] of values.entries()) yield { line: starts[index] ?? 1, value };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

/** The line on which each element of a top-level JSON array starts (the text is known valid). */
function topLevelElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectingElement = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '\n') line += 1;
    if (inString) {
      if (ch === '\\') i += 1;
      else if (ch === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectingElement && ch !== undefined && !/[\s,\]]/.test(ch)) {
      lines.push(line);
      expectingElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth += 1;
      if (depth === 1) expectingElement = true;
    } else if (ch === ']' || ch === '}') depth -= 1;
    else if (ch === ',' && depth === 1) expectingElement = true;
  }
  return lines;
}
