// The baseline for `npm run bench:edge`: a bare node:http server sending pages' exact responses
// from memory, as Varnish sends them from its cache: for each path (and encoding) the bytes and
// the headers the site gave it (less what Varnish adds). Run as
// `node dist/bench/baseline-pages-server.js MANIFEST.json`, where the manifest maps "path" or
// "br path" to { file, headers }. Prints its port.
import fs from 'node:fs';
import http from 'node:http';

type Entry = { file: string; headers: Record<string, string> };
const manifest = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as Record<string, Entry>;
const pages = new Map(Object.entries(manifest).map(([key, entry]) => [key, { body: fs.readFileSync(entry.file), headers: entry.headers }]));

const server = http.createServer((req, res) => {
  const brotli = /\bbr\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const page = (brotli && pages.get(`br ${req.url}`)) || pages.get(req.url ?? '');
  if (!page) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { ...page.headers, 'content-length': page.body.length });
  res.end(page.body);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
