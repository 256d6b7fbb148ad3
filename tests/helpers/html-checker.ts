import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const VNU_JAR: string = require('vnu-jar');

export type HtmlCheckerMessage = { file: string; line?: number; message: string; extract?: string };

/**
 * Runs the W3C Nu Html Checker (vnu.jar, from the vnu-jar package, on the machine's Java) over
 * named documents in one JVM start, and returns its errors. Warnings are not errors and are left out.
 */
export async function checkHtml(documents: Record<string, string>): Promise<HtmlCheckerMessage[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-site-vnu-'));
  try {
    const files = Object.entries(documents).map(([name, html]) => {
      const file = path.join(dir, `${name}.html`);
      fs.writeFileSync(file, html);
      return file;
    });
    const report = await new Promise<string>((resolve, reject) => {
      // vnu exits 1 when it finds errors and writes its JSON report to standard error.
      execFile(
        'java',
        ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files],
        { maxBuffer: 64 << 20 },
        (error, _stdout, stderr) => {
          if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
            reject(new Error('java is not installed: apt-get install -y default-jre-headless (.ci/run does)'));
          } else if (!stderr.trim().startsWith('{')) reject(new Error(`vnu did not report: ${error?.message ?? ''}\n${stderr}`));
          else resolve(stderr);
        },
      );
    });
    const { messages } = JSON.parse(report) as {
      messages: { type: string; url: string; lastLine?: number; message: string; extract?: string }[];
    };
    return messages
      .filter((m) => m.type === 'error' || m.type === 'non-document-error')
      .map((m) => ({ file: path.basename(decodeURIComponent(m.url)), line: m.lastLine, message: m.message, extract: m.extract }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
