// Stack tier (`npm run test:stack`, scripts/test-stack.sh): tests/integration against real servers.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/integration/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Two cores: the servers under test need CPU too.
    maxWorkers: 2,
    // Tests spawn the real `stockops` binary: build dist/ and web/dist once up front, not inside a test's timeout.
    globalSetup: ['tests/global-setup.ts'],
  },
});
