// Test tiers run by `npm test`: unit tests beside the code, API and CLI tests, and the browser test.
// tests/integration (real servers) runs in `npm run test:stack`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The web's name for the HTTP contract (web/vite.config.ts has the same alias), for its unit tests.
  resolve: {
    alias: { '@stockops/api': fileURLToPath(new URL('./src/api/index.ts', import.meta.url)) },
  },
  test: {
    include: [
      'src/**/*.test.ts',
      'web/src/**/*.test.ts',
      'tests/{api,architecture,cli,contract,deploy,e2e}/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    globalSetup: ['tests/global-setup.ts'],
  },
});
