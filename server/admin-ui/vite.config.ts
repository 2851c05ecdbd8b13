// The hub's admin page: a React app built into dist/admin-ui, served by the hub at /admin/ (its
// assets under /admin/assets/). It reads the hub's admin JSON API with the operator's token.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/admin-ui', import.meta.url)),
    emptyOutDir: true,
  },
});
