import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the API runs separately (apps/server on :3000); in production the same
// server serves this build, so the app always calls same-origin paths.
const api = 'http://127.0.0.1:3000';
const proxy = { '/trpc': api, '/api': api, '/healthz': api };

export default defineConfig({
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
  build: {
    // No data: URLs in the bundle, so the page's CSP needs no `data:` beyond the empty favicon.
    assetsInlineLimit: 0,
  },
});
