// One lint setup for every world of the app. Its main job is the process boundary: electron is
// imported only by the thin shell (main/shell/) and preload/; common/ imports nothing of Node;
// the renderer imports only common/ and its own files.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'worker_threads', 'util'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**', 'bin/**'] },
  ...tseslint.configs.recommended,
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
