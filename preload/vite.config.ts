// Bundles one window's preload into dist/preload/<window>.cjs: a sandboxed preload is one CommonJS
// file that may require nothing but electron, so each window's is built on its own (--mode kiosk,
// reception or setup) and shares no chunk with another.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const WINDOWS = ['kiosk', 'reception', 'setup'];

export default defineConfig(({ mode }) => {
  if (!WINDOWS.includes(mode)) throw new Error(`build a preload with --mode ${WINDOWS.join('|')}, not "${mode}"`);
  return {
    build: {
      outDir: fileURLToPath(new URL('../dist/preload', import.meta.url)),
      emptyOutDir: false,
      minify: false,
      lib: { entry: fileURLToPath(new URL(`./${mode}.ts`, import.meta.url)), formats: ['cjs'], fileName: () => `${mode}.cjs` },
      rollupOptions: { external: ['electron'] },
    },
  };
});
