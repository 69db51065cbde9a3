// Stack tier (`npm run test:stack`, scripts/test-stack.sh): tests/integration against real servers.
import { defineConfig } from 'vitest/config';

// `npm run stack` (tests/integration/stack.test.ts) starts a whole topology of its own, Prometheus included, with
// the same scripts/services/*.sh as the other files (one .services/prometheus per checkout): it runs in a group
// after them, never beside prometheus.test.ts or the CPU-heavy replica tests.
const TOPOLOGY = 'tests/integration/stack.test.ts';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Two cores: the servers under test need CPU too.
    maxWorkers: 2,
    // Tests spawn the real `stockops` binary: build dist/ and web/dist once up front, not inside a test's timeout.
    globalSetup: ['tests/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: [TOPOLOGY],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'topology', include: [TOPOLOGY], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
