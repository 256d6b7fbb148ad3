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

/** The environment deploy/litestream.yml is expanded from: the database (absolute) and its replica. */
export function litestreamEnv(databasePath: string, replicaUrl: string): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_PATH: path.resolve(databasePath), REPLICA_URL: replicaUrl };
}

/**
 * Runs `litestream COMMAND -config deploy/litestream.yml ARGS` for one database and replica to its
 * end, collecting what it prints. Through the configuration file, so that a restore reads the
 * replica with the same settings (an S3 endpoint, say) that replicated it.
 */
export function runLitestream(
  command: 'restore' | 'snapshots',
  args: readonly string[],
  target: { databasePath: string; replicaUrl: string },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = litestreamEnv(target.databasePath, target.replicaUrl);
  return new Promise((resolve, reject) => {
    const child = spawn(litestreamBinary(env), [command, '-config', LITESTREAM_CONFIG, ...args, env.DATABASE_PATH!], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Whether the replica holds a snapshot of the database (works whether or not the file exists). */
export async function replicaHasSnapshots(databasePath: string, replicaUrl: string): Promise<boolean> {
  const { code, stdout, stderr } = await runLitestream('snapshots', [], { databasePath, replicaUrl });
  if (code !== 0) throw new Error(`Could not read the replica: ${stderr.trim() || `litestream exited ${code}`}`);
  // A header line, then one line per snapshot.
  return stdout.trim().split('\n').length > 1;
}
