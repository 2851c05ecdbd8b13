// Bundles the two command lines (escale-station, escale-hub) into dist/cli/, one file each plus
// the chunks their commands load on demand: Node then reads a few files instead of ~200 (zod alone
// is 95), which is most of a simple command's start-up. Packages with native code or their own
// files at run time (better-sqlite3, serialport, node-hid, PC/SC, pg, socket.io, pdfkit, ws) stay
// in node_modules; zod and uuid are bundled. Files found at run time (the built pages, the PC/SC
// child, the admin page) are found from the package's root (main/runtime/package-root.ts), so they
// resolve the same from a bundle as from dist/.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const at = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));

export default defineConfig({
  logLevel: 'warn',
  ssr: { noExternal: ['zod', 'uuid'], target: 'node' },
  build: {
    ssr: true,
    outDir: at('dist/cli'),
    emptyOutDir: true,
    minify: false,
    sourcemap: false,
    target: 'node20',
    rollupOptions: {
      input: { 'escale-station': at('main/cli/escale-station.ts'), 'escale-hub': at('server/cli/escale-hub.ts') },
      output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
    },
  },
});
