// A static file server on 127.0.0.1 for the browser pages: `npm run playground` serves
// dist/playground/; `node scripts/serve.mjs .` serves the repository (examples/web/).
//   node scripts/serve.mjs [FOLDER] [--port N]      (default 8080, or a free port when 8080 is taken;
//                                                   --port 0 always picks a free one)
//                          [--no-isolation]         (without the two headers below)
// Every response carries Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy:
// require-corp, so the pages are cross-origin isolated: they may share memory with workers, and the
// CPU runtime runs its kernels on every core (runtime/cpu/threads/); without them, on one thread.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const args = process.argv.slice(2);
const portAt = args.indexOf('--port');
const port = portAt >= 0 ? Number(args[portAt + 1]) : 8080;
const folder = resolve(args.find((a, i) => !a.startsWith('--') && (portAt < 0 || i !== portAt + 1)) ?? 'dist/playground');
const ISOLATION = args.includes('--no-isolation') ? {} : { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.map': 'application/json',
  '.nnet': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
};

if (!existsSync(folder)) {
  console.error(`${folder} does not exist${folder.endsWith('playground') ? ': build it first with `npm run build`' : ''}`);
  process.exit(1);
}

const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  let file = resolve(join(folder, path));
  if (file !== folder && !file.startsWith(folder + sep)) return reply(res, 403, 'forbidden');
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) return reply(res, 404, `not found: ${path}`);
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache', ...ISOLATION });
  res.end(readFileSync(file));
});

function reply(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

server.on('error', (error) => {
  if (error.code !== 'EADDRINUSE' || portAt >= 0) throw error;
  server.listen(0, '127.0.0.1');
});
server.on('listening', () => {
  console.log(`serving ${folder} at http://127.0.0.1:${server.address().port}/ (Ctrl-C to stop)`);
});
server.listen(port, '127.0.0.1');
