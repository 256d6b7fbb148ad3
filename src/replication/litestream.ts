import { spawn } from 'node:child_process';
import path from 'node:path';
import { DEPLOY_DIR } from '../project-paths';

// Where the Litestream binary and the site's Litestream configuration are. The binary comes from
// the npm package @flydotio/litestream (v0.3.13), whose platform package holds it; its own
// wrapper script cannot pass signals on, so the site runs the binary itself. LITESTREAM_BIN
// names another one (a system package, a newer release).

export const LITESTREAM_CONFIG = path.join(DEPLOY_DIR, 'litestream.yml');

export function litestreamBinary(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LITESTREAM_BIN) return env.LITESTREAM_BIN;
  const platformPackage = `@flydotio/litestream-${process.platform}-${process.arch}`;
  try {
    return path.join(path.dirname(require.resolve(`${platformPackage}/package.json`)), 'litestream');
  } catch {
    throw new Error(
      `Litestream is not installed for ${process.platform}-${process.arch} (${platformPackage}): run npm ci, or set LITESTREAM_BIN to a litestream binary.`,
    );
  }
}

/** Runs `litestream ARGS` to its end, collecting what it prints. */
export function runLitestream(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(litestreamBinary(env), args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Generations (continuous copies) held by the replica; none for an empty or new replica. */
export async function replicaGenerations(replicaUrl: string): Promise<string[]> {
  const { code, stdout, stderr } = await runLitestream(['generations', replicaUrl]);
  if (code !== 0) throw new Error(`Could not read the replica: ${stderr.trim() || `litestream exited ${code}`}`);
  return stdout
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/)[1])
    .filter((generation): generation is string => Boolean(generation));
}
