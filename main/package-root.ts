// The station app's package folder (the one holding its package.json), found from a module's own
// location: files the app reads at run time (the built pages, the PC/SC child) are found from it,
// the same whether the module runs from dist/ as compiled, from a bundled command line (dist/cli/),
// or from the packaged app's archive.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(moduleUrl: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
