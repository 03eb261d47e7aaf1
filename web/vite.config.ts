import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [svelte({ configFile: false })],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 900 },
  // `npx vite --config web/vite.config.ts` beside `npm start`: the API from the running server
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
