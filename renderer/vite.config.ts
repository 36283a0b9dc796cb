import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Plain URL maths instead of node:path, so this file stays inside the renderer zone's rules.
const here = (relative: string): string => decodeURIComponent(new URL(relative, import.meta.url).pathname);

/**
 * Renderer build: dist/renderer, loaded from file:// by the app and from a 127.0.0.1 static
 * server by the e2e harness, hence relative asset URLs. Everything is bundled (no CDN, no
 * remote fonts) because the workstation is air-gapped and CSP allows only 'self'.
 */
export default defineConfig({
  root: here('.'),
  base: './',
  plugins: [react()],
  build: {
    outDir: here('../dist/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    // Fonts and images ship as files; nothing is inlined as a data: URL.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 4096,
    modulePreload: { polyfill: false },
  },
});
