import net from 'node:net';

/** Exit code of a worker that cannot listen: the primary then stops instead of starting another. */
export const EXIT_CANNOT_LISTEN = 78; // EX_CONFIG in sysexits.h

/** Why a server cannot listen, in an operator's words; undefined for other errors. */
export function cannotListenMessage(error: NodeJS.ErrnoException, host: string, port: number): string | undefined {
  if (error.code === 'EADDRINUSE') return `Port ${port} on ${host} is in use by another program: stop it, or set PORT to a free port.`;
  if (error.code === 'EACCES')
    return `Not allowed to listen on ${host}:${port}: ports below 1024 need privileges; set PORT to 1024 or above.`;
  if (error.code === 'EADDRNOTAVAIL') return `${host} is not an address of this machine: set HOST to one of its addresses (or 0.0.0.0).`;
  return undefined;
}

/**
 * Resolves when host:port can be listened on (it listens and closes at once), rejects with a plain
 * message when it cannot. The primary checks before starting workers, so that a port in use is
 * one clear line, not a worker dying over and over.
 */
export function checkPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(new Error(cannotListenMessage(error, host, port) ?? error.message)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
