// Vite build and dev-server config for the stockops web UI (built into web/dist, served by the API server).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The project builds from the repo root (`vite build --config web/vite.config.ts`), so the root
// must be pinned to this folder rather than taken from the working directory.
const webRoot = fileURLToPath(new URL('.', import.meta.url));

// Where `npm run start` listens by default; the dev server forwards API calls there so the UI can
// be developed with hot reload against a real backend.
const apiTarget = 'http://127.0.0.1:8000';

export default defineConfig(({ command, mode }) => {
  // A build started from a test runner (vitest's global setup, or the app it spawns) inherits
  // NODE_ENV=test, and Vite honours any preset NODE_ENV: web/dist would then ship React's
  // development bundle, twice the size. Vite reads the variable again after loading this file.
  if (command === 'build' && mode === 'production') {
    process.env.NODE_ENV = 'production';
  }
  return {
    root: webRoot,
    base: '/',
    plugins: [react()],
    // The HTTP contract (schemas, types, endpoint table, client) is shared with the server and the CLI;
    // it is pure TypeScript, so the browser bundle takes it as source.
    resolve: {
      alias: { '@stockops/api': fileURLToPath(new URL('../src/api/index.ts', import.meta.url)) },
    },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      rolldownOptions: {
        treeshake: {
          // The contract re-exports from src/core, whose modules are pure by rule (docs/architecture.md),
          // but a module-level `new Map([...])` (the feature-set registry) looks like a side effect to
          // the bundler and would drag ~30 kB of feature code into the page. A core or contract module
          // is therefore kept only when the UI uses one of its exports.
          moduleSideEffects: (id) => (/[\\/]src[\\/](core|api)[\\/]/.test(id) ? false : undefined),
        },
      },
    },
    server: {
      proxy: {
        '/api': apiTarget,
        '/metrics': apiTarget,
        '/ws': { target: apiTarget, ws: true },
      },
    },
  };
});
