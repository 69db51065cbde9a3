// Test tiers run by `npm test`: unit tests beside the code, API and CLI tests, and the browser test.
// tests/integration (real servers) runs in `npm run test:stack`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The web imports the contract as @stockops/api (web/vite.config.ts); its unit tests resolve it the same way.
  resolve: {
    alias: { '@stockops/api': fileURLToPath(new URL('./src/api/index.ts', import.meta.url)) },
  },
  test: {
    include: [
      'src/**/*.test.ts',
      'web/src/**/*.test.ts',
      'tests/{api,architecture,cli,contract,e2e}/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    globalSetup: ['tests/global-setup.ts'],
  },
});
