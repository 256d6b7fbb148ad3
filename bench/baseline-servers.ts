// Baselines for `npm run bench`: the seed article page's exact bytes, sent from memory by a bare
// node:http server and by a bare Express app. Run as `node dist/bench/baseline-servers.js KIND FILE`.
import fs from 'node:fs';
import http from 'node:http';
import express from 'express';

const [kind, file] = process.argv.slice(2);
const body = fs.readFileSync(file!);

const server =
  kind === 'express'
    ? http.createServer(express().get('/{*path}', (_req, res) => void res.type('html').send(body)))
    : http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
        res.end(body);
      });
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
