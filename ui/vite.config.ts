import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

// The build is embedded into the Tauri binary (src-tauri/tauri.conf.json → ../ui/dist) and
// served by its custom protocol: no dev server, nothing fetched from the network.
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WebKitGTK 2.40+ on Debian 12; no need to down-level modern syntax.
    target: 'safari16',
  },
  // The tests read docs/SHORTCUTS.md (it must list every function key of the counter).
  server: { fs: { allow: ['.', '../docs'] } },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
    expect: { poll: { timeout: 5000 } },
  },
});
