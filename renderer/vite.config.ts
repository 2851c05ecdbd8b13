// The renderer: one React app with three entry points, the kiosk (visitors), the reception
// (staff) and the first start's set-up screen (Electron, before the station exists). Built into dist/renderer, served by the local host or loaded by the Electron shell.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        kiosk: fileURLToPath(new URL('./kiosk.html', import.meta.url)),
        reception: fileURLToPath(new URL('./reception.html', import.meta.url)),
        setup: fileURLToPath(new URL('./setup.html', import.meta.url)),
      },
    },
  },
});
