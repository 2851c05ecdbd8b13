// Browser tests need the built renderer (dist/renderer). `npm test` builds first; a test file run
// alone builds it here when it is missing or older than the renderer's sources (or common/, which
// the renderer bundles). A lock folder keeps two test files from building at the same time.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from './wait.js';

const ROOT = path.resolve('.');
/** Vitest sets NODE_ENV=test, which would make Vite bundle React's development build. */
const BUILD_ENV = { ...process.env, NODE_ENV: 'production' };
const LOCK = path.join(ROOT, 'test-output', '.renderer-build.lock');

function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** True when dist/renderer/<page>.html is missing or older than what it is built from. */
export function rendererStale(page = 'reception'): boolean {
  const built = path.join(ROOT, 'dist', 'renderer', `${page}.html`);
  if (!fs.existsSync(built)) return true;
  const sources = Math.max(newestMtime(path.join(ROOT, 'renderer')), newestMtime(path.join(ROOT, 'common')));
  return fs.statSync(built).mtimeMs < sources;
}

export async function ensureRendererBuilt(page = 'reception'): Promise<void> {
  if (!rendererStale(page)) return;
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  // The lock taken, or another test file is building: wait for it, then look again.
  await waitFor(
    () => {
      try {
        fs.mkdirSync(LOCK);
        return true;
      } catch {
        const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
        if (age > 300_000) fs.rmSync(LOCK, { recursive: true, force: true });
        return false;
      }
    },
    `another build of the renderer (${LOCK})`,
    { timeoutMs: 240_000, intervalMs: 500 },
  );
  try {
    if (rendererStale(page)) {
      try {
        execFileSync('npm', ['run', 'build'], { cwd: ROOT, env: BUILD_ENV, stdio: 'inherit', timeout: 300_000 });
      } catch (e) {
        // A type error elsewhere (tsc -b runs first) must not hide the renderer from its tests:
        // bundle the renderer alone, and say so. `npm test` still fails on that type error.
        console.warn(`npm run build failed (${(e as Error).message.split('\n')[0]}); building the renderer alone with vite`);
        execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, env: BUILD_ENV, stdio: 'inherit', timeout: 300_000 });
      }
    }
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/** True when dist/admin-ui is missing or older than the admin page's sources or common/. */
export function adminUiStale(): boolean {
  const built = path.join(ROOT, 'dist', 'admin-ui', 'index.html');
  if (!fs.existsSync(built)) return true;
  const sources = Math.max(newestMtime(path.join(ROOT, 'server', 'admin-ui')), newestMtime(path.join(ROOT, 'common')), newestMtime(path.join(ROOT, 'renderer', 'src', 'shared')));
  return fs.statSync(built).mtimeMs < sources;
}

/** Builds the hub's admin page (dist/admin-ui) alone when it is stale; `npm test` has built it already. */
export function ensureAdminUiBuilt(): void {
  if (!adminUiStale()) return;
  execFileSync('npx', ['vite', 'build', '--config', 'server/admin-ui/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, env: BUILD_ENV, stdio: 'inherit', timeout: 300_000 });
}
