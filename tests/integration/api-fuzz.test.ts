// The HTTP contract fuzzed: schemathesis 4 (scripts/services/schemathesis.sh) against a real `stockops start` (embedded
// store on a temporary folder, an API key, recorded Yahoo responses, low queue limits so started flow runs stay
// bounded, no rate limit), with --checks all, a fixed seed and bounded examples. Zero server errors, zero response-schema violations,
// zero undocumented statuses. The JUnit and NDJSON reports land in reports/schemathesis/ (kept by CI as an artifact).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServerProcess, waitFor, type RunningServer } from '../cli/run.js';

const ST =
  process.env.SCHEMATHESIS_BIN ?? join(ROOT, '.services', 'schemathesis-venv', 'bin', 'st');
const REPORTS = join(ROOT, 'reports', 'schemathesis');
const KEY = 'fuzz-key';
/** Fixed, so a finding is reproducible with the same command. */
const SEED = '20261202';
/** Test cases per operation and phase: enough to find what the issue found, a few minutes in all. */
const MAX_EXAMPLES = '30';

let server: RunningServer | null = null;

beforeAll(async () => {
  if (!existsSync(ST)) {
    throw new Error(
      `schemathesis is not installed at ${ST}: run scripts/services/schemathesis.sh (npm run test:stack does)`,
    );
  }
  server = await startServerProcess({
    STOCKOPS_HOME: mkdtempSync(join(tmpdir(), 'stockops-fuzz-')),
    // The embedded store and the in-process runner, whatever the stack tier exported for other tests.
    DATABASE_URL: '',
    REDIS_URL: '',
    STOCKOPS_API_KEY: KEY,
    STOCKOPS_SCHEDULES: 'false',
    PRICE_SOURCE_URL: `file://${join(ROOT, 'tests', 'fixtures', 'yahoo')}`,
    // Every route that starts a flow run is hammered: a few may wait, the rest are refused with 429.
    STOCKOPS_MAX_QUEUED_RUNS: '10',
    STOCKOPS_MAX_QUEUED_PER_FLOW: '4',
    // Off: at the default 1200 a minute the fuzz met the rate limit on most requests and tested little else. Its 429
    // (envelope, Retry-After) is tested in tests/api/serving.test.ts and documented on every route (hostile-input).
    STOCKOPS_RATE_LIMIT_MAX: '0',
    LOG_LEVEL: 'error',
  });
  const url = server.url;
  await waitFor(
    'the first-start bootstrap',
    async () => {
      const h = (await (await fetch(`${url}/api/health`)).json()) as {
        bootstrap?: { state: string };
      };
      return h.bootstrap?.state === 'done' ? true : null;
    },
    300_000,
  );
}, 360_000);

afterAll(async () => {
  await server?.stop();
});

function run(cmd: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPORTS, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, out });
    });
  });
}

describe('the API under schemathesis', () => {
  it('has no server errors, no response that breaks its schema and no undocumented status', async () => {
    mkdirSync(REPORTS, { recursive: true });
    const junitPath = join(REPORTS, 'junit.xml');
    rmSync(junitPath, { force: true });
    const { code, out } = await run(ST, [
      '--config-file',
      join(ROOT, 'tests', 'integration', 'schemathesis.toml'),
      '--no-color',
      'run',
      `${server?.url ?? ''}/openapi.json`,
      '--checks',
      'all',
      '--header',
      `x-api-key: ${KEY}`,
      '--seed',
      SEED,
      '--max-examples',
      MAX_EXAMPLES,
      '--report',
      'junit,ndjson',
      '--report-junit-path',
      junitPath,
      '--report-ndjson-path',
      join(REPORTS, 'events.ndjson'),
      '--request-timeout',
      '30',
    ]);
    const summary = out.slice(Math.max(0, out.lastIndexOf('SUMMARY') - 40));
    expect(existsSync(junitPath), out.slice(-3000)).toBe(true);
    const xml = readFileSync(junitPath, 'utf8');
    const suite = /<testsuite\b[^>]*>/.exec(xml)?.[0] ?? '';
    const attr = (name: string) => Number(new RegExp(`${name}="(\\d+)"`).exec(suite)?.[1] ?? NaN);
    expect(attr('tests'), summary).toBeGreaterThan(20);
    expect({ failures: attr('failures'), errors: attr('errors') }, summary).toEqual({
      failures: 0,
      errors: 0,
    });
    expect(code, summary).toBe(0);
  }, 900_000);
});
