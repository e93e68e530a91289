import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { VitePWA, type ManifestOptions } from 'vite-plugin-pwa';

// The web app manifest is kept at the repository root; the PWA plugin emits it and links it.
const manifest = JSON.parse(readFileSync(new URL('./manifest.webmanifest', import.meta.url), 'utf8')) as Partial<ManifestOptions>;
const apiPort = process.env.FIELDNOTES_API_PORT ?? '8080';

export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      // A new version is offered, never forced (see src/app/UpdatePrompt.tsx).
      registerType: 'prompt',
      injectRegister: false,
      manifest,
      manifestFilename: 'manifest.webmanifest',
      includeAssets: ['icons/icon.svg'],
      workbox: {
        // ttf: the PDF's fonts (Noto Sans, ~630 KB each), so a PDF can be made with no signal. The PDF chunk
        // (pdf-lib + fontkit) is a .js file like any other, under workbox's default 2 MiB limit per file.
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,ttf}'],
        // Deep links (/observations/<id>) open offline: every navigation gets the precached shell.
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  // No source maps in the built app: they would hand anyone the unminified source (the server also refuses *.map).
  build: { sourcemap: false },
  server: {
    // `npm run dev`: the API and the sync websocket are the server's; Vite serves the app with hot reload.
    proxy: {
      '/api': `http://127.0.0.1:${apiPort}`,
      '/sync': { target: `ws://127.0.0.1:${apiPort}`, ws: true },
    },
  },
});
