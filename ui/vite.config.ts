import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';

// The Tauri shell loads `dist/` (frontendDist `../ui/dist`) and, in development, the dev server
// on a fixed port (devUrl http://localhost:5173).
export default defineConfig({
  plugins: [preact()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Old Android System WebView (Chrome 90 and later) must run the bundle.
    target: ['es2021', 'chrome90', 'safari15'],
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./test/setup.ts'],
    include: ['test/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
