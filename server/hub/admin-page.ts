// The hub's admin page: the built single-page app (server/admin-ui, built by Vite into
// dist/admin-ui) served at /admin/ with its assets. The page and its scripts are public, like any
// login page: everything it shows comes from the admin JSON API, which wants the bearer token the
// operator types in.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentTypeOf } from '../../common/content-types.js';

/** Nothing but this hub: no inline script, no eval, no other origin, never framed. */
export const ADMIN_PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Where the built page is: dist/admin-ui beside the compiled hub (dist/server/hub → dist/admin-ui),
 * or, when the hub runs from its TypeScript sources (tests), the repository's dist/admin-ui.
 */
export function defaultAdminUiDir(): string {
  // The package's folder (holding package.json), whether this runs from dist/, a bundled command
  // line (dist/cli/) or its TypeScript sources.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'dist/admin-ui');
}

/** Serves /admin/ and /admin/assets/…; false when the request is not for the page. */
export function serveAdminPage(req: IncomingMessage, res: ServerResponse, pathname: string, dir: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (pathname === '/admin') {
    res.writeHead(301, { location: '/admin/' }).end();
    return true;
  }
  if (pathname !== '/admin/' && !pathname.startsWith('/admin/assets/')) return false;
  const root = path.resolve(dir);
  const file = path.resolve(root, pathname === '/admin/' ? 'index.html' : '.' + pathname.slice('/admin'.length));
  if (!file.startsWith(root + path.sep)) {
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Forbidden');
    return true;
  }
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    const built = fs.existsSync(path.join(root, 'index.html'));
    res.writeHead(built ? 404 : 503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(built ? 'Not found' : `The admin page is not built (${root}): run npm run build.`);
    return true;
  }
  res.writeHead(200, {
    'content-type': contentTypeOf(path.extname(file)),
    'content-security-policy': ADMIN_PAGE_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // The page's name never changes, its assets' names carry their hash.
    'cache-control': pathname === '/admin/' ? 'no-cache' : 'public, max-age=31536000, immutable',
  });
  if (req.method === 'HEAD') res.end();
  // A file gone between the check and the read ends this answer, not the hub.
  else fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
  return true;
}
