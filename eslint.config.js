// One lint setup for every world of the app. Its main jobs are the process boundary (electron is
// imported only by the thin shell, main/shell/, and preload/; common/ imports nothing of Node; the
// renderer imports only common/ and its own files) and the layers (LAYERS below: the station app
// and the hub never import each other; the station core imports no runtime, device or sync code;
// only the core reaches its context).
import path from 'node:path';
import tseslint from 'typescript-eslint';

/**
 * The layers of the app, by folder: which folders a file may not import from. Checked on the
 * resolved path of every relative import (static, re-export or dynamic), so a file cannot reach
 * across by another route. Tests may look into anything.
 */
const LAYERS = [
  {
    from: ['main/'],
    not: ['server/'],
    message: 'main/ (the station app) never imports the hub (server/): they meet only on the wire, through common/.',
  },
  {
    from: ['server/'],
    not: ['main/'],
    message: 'server/ (the hub) never imports the station app (main/).',
  },
  {
    from: ['main/station/'],
    not: ['main/runtime/', 'main/hardware/', 'main/sync/', 'main/host/', 'main/cli/', 'main/shell/'],
    message: 'The station core (main/station/) imports no runtime, device, sync, host, CLI or shell code: those reach it through its ports (main/station/ports.ts).',
  },
  {
    from: ['main/', 'demo/', 'server/', 'preload/', 'renderer/', 'common/'],
    except: ['main/station/'],
    not: ['main/station/context.ts'],
    message: "Only the station core reaches the station's context (its database): use the station's ports (main/station/ports.ts).",
  },
];

const layersRule = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const layers = LAYERS.filter((l) => l.from.some((f) => file.startsWith(f)) && !(l.except ?? []).some((e) => file.startsWith(e)));
    if (layers.length === 0) return {};
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.relative(root, path.resolve(path.dirname(context.filename), source)).split(path.sep).join('/').replace(/\.js$/, '.ts');
      for (const l of layers) if (l.not.some((n) => target.startsWith(n))) context.report({ node, message: l.message });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'worker_threads', 'util'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**', 'bin/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { escale: { rules: { layers: layersRule } } },
    rules: { 'escale/layers': 'error' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only main/shell/ and preload/ may import electron: the station core runs in plain Node.' }] },
      ],
    },
  },
  {
    files: ['main/shell/**/*.ts', 'preload/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'common/ is shared by every process: no electron.' }],
          patterns: [
            { group: nodeBuiltins, message: 'common/ runs in the renderer too: no Node built-ins.' },
            { group: ['better-sqlite3', '**/main/**', '**/server/**', '**/renderer/**', '**/preload/**'], message: 'common/ imports only common/ and zod/uuid.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the station API, never to electron.' }],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer runs in a browser: no Node built-ins.' },
            { group: ['better-sqlite3', '**/main/**', '**/server/**', '**/preload/**'], message: 'The renderer imports only common/ and its own files.' },
          ],
        },
      ],
    },
  },
  {
    // The hub's admin page runs in a browser too: common/ and its own files (and the renderer's
    // zod-without-eval switch), nothing of the hub it talks to but its HTTP API.
    files: ['server/admin-ui/**/*.ts', 'server/admin-ui/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The admin page runs in a browser, never in electron.' }],
          patterns: [
            { group: nodeBuiltins, message: 'The admin page runs in a browser: no Node built-ins.' },
            {
              // Import paths as written: from server/admin-ui/src/, the rest of the hub is ../../.
              group: ['better-sqlite3', 'pdfkit', 'pg', '**/main/**', '**/preload/**', '**/server/**', '../../accounts/**', '../../hub/**', '../../store/**', '../../cli/**'],
              message: 'The admin page imports only common/ and its own files; it reaches the hub through the admin API.',
            },
          ],
        },
      ],
    },
  },
  {
    // The build configurations run in Node (Vite), not in the browser.
    files: ['renderer/vite.config.ts', 'server/admin-ui/vite.config.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
