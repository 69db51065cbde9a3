// Browser end-to-end test: the real app (`node bin/stockops.js start`) driven by Debian chromium.
// Real: the stockops server, its embedded store and models, the built UI in web/dist, chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium } from './browser.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const screenshotPath = path.join(repoRoot, 'tests/e2e/__screenshots__/viewer.png');

// The first start trains models before it listens, hence the long waits.
const START_TIMEOUT_MS = 120_000;
const READY_TIMEOUT_MS = 120_000;
const TEST_TIMEOUT_MS = 240_000;
const KILL_GRACE_MS = 5_000;

interface RunningApp {
  child: ChildProcess;
  /** Resolves with the base URL once the app prints its "listening on" line. */
  listening: Promise<string>;
}

/** Spawns the app at once, so that cleanup can stop it even if it never comes up. */
function startApp(home: string): RunningApp {
  const child = spawn(process.execPath, ['bin/stockops.js', 'start'], {
    cwd: repoRoot,
    env: { ...process.env, STOCKOPS_HOME: home, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const tail = () => log.slice(-4000);
  const listening = new Promise<string>((resolve, reject) => {
    let partial = '';
    const timer = setTimeout(() => {
      reject(
        new Error(
          `stockops did not print "listening on http://..." within ${START_TIMEOUT_MS / 1000} s. ` +
            `Output:\n${tail()}`,
        ),
      );
    }, START_TIMEOUT_MS);
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      log += text;
      // Chunks can split a line; only whole lines are matched.
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        // Stops at a quote too, in case the line is a JSON log record.
        const match = /listening on (http:\/\/[^\s"']+)/.exec(line);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1].replace(/\/$/, ''));
          return;
        }
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not run node bin/stockops.js start: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(
          `node bin/stockops.js start exited (code ${String(code)}, signal ${String(signal)}) ` +
            `before listening. Output:\n${tail()}`,
        ),
      );
    });
  });
  return { child, listening };
}

async function stopApp(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  child.kill('SIGTERM');
  const grace = new AbortController();
  const graceful = await Promise.race([
    exited.then(() => true),
    sleep(KILL_GRACE_MS, false, { signal: grace.signal }).catch(() => false),
  ]);
  grace.abort();
  if (!graceful) {
    child.kill('SIGKILL');
    await exited;
  }
}

interface PredictionFacts {
  lastClose: number;
  predictedClose: number;
}

function toFacts(body: unknown): PredictionFacts {
  if (typeof body === 'object' && body !== null) {
    const { lastClose, predictedClose } = body as Record<string, unknown>;
    if (typeof lastClose === 'number' && typeof predictedClose === 'number') {
      return { lastClose, predictedClose };
    }
  }
  throw new Error(
    `expected /api/predict to answer { lastClose, predictedClose }, found ${JSON.stringify(body)}`,
  );
}

/**
 * Polls until the first start has ended and the ^GSPC model answers: the server listens before its
 * first models are trained, and h = 1 serves naive before ridge has been through the gate.
 */
async function waitForPrediction(baseUrl: string): Promise<PredictionFacts> {
  const url = `${baseUrl}/api/predict?ticker=%5EGSPC&horizon=1`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const health = (await (await fetch(`${baseUrl}/api/health`)).json()) as {
        bootstrap?: { state: string };
      };
      if (health.bootstrap?.state !== 'done') {
        last = `first start ${health.bootstrap?.state ?? 'unknown'}`;
        await sleep(1000);
        continue;
      }
      const res = await fetch(url);
      const text = await res.text();
      if (res.status === 200) {
        return toFacts(JSON.parse(text) as unknown);
      }
      last = `${String(res.status)} ${text.slice(0, 300)}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(1000);
  }
  throw new Error(
    `GET ${url} did not answer 200 within ${READY_TIMEOUT_MS / 1000} s; last: ${last}`,
  );
}

/** "2,876.10" -> 2876.1; NaN when there is no number in the text. */
function parsePrice(text: string): number {
  const match = /-?[\d,]+(?:\.\d+)?/.exec(text);
  return match ? Number(match[0].replaceAll(',', '')) : Number.NaN;
}

let home: string | undefined;
let app: RunningApp | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  if (app) {
    await stopApp(app.child);
  }
  if (home !== undefined) {
    rmSync(home, { recursive: true, force: true });
  }
}, KILL_GRACE_MS * 3);

describe('viewer page', () => {
  it(
    'shows the ^GSPC chart and a predicted price',
    async () => {
      // Before the app starts: a missing browser fails at once, naming the fix.
      findChromium();
      home = mkdtempSync(path.join(tmpdir(), 'stockops-e2e-'));
      app = startApp(home);
      const url = await app.listening;
      // Checked only now: bin/stockops.js builds web/dist itself when it is missing or stale.
      if (!existsSync(path.join(repoRoot, 'web/dist/index.html'))) {
        throw new Error('web/dist/index.html is missing: build the UI with `npm run build:web`');
      }
      const facts = await waitForPrediction(url);

      browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const pageErrors: string[] = [];
      page.on('pageerror', (err) => {
        pageErrors.push(err.message);
      });

      await page.goto(`${url}/forecast`);
      const select = page.getByTestId('ticker-select');
      await select.locator('option[value="^GSPC"]').waitFor({ state: 'attached' });
      await select.selectOption('^GSPC');

      await page.locator('[data-testid=price-chart] canvas').first().waitFor();
      await page.getByText('Loading prices…').waitFor({ state: 'detached' });
      const predictedClose = page.getByTestId('predicted-close').filter({ hasText: /\d/ });
      await predictedClose.waitFor();

      const shown = parsePrice(await predictedClose.innerText());
      expect(shown).toBeGreaterThan(0);
      expect(Math.abs(shown - facts.lastClose) / facts.lastClose).toBeLessThan(0.5);
      // The card rounds to cents, so it agrees with the API to within half a cent.
      expect(shown).toBeCloseTo(facts.predictedClose, 1);
      // Naive is version 1 (the floor); ridge, version 2, beats it on the gate window and serves.
      expect(await page.getByTestId('model-version').innerText()).toContain('v2');
      expect(await page.getByTestId('error').count()).toBe(0);
      expect(pageErrors).toEqual([]);

      mkdirSync(path.dirname(screenshotPath), { recursive: true });
      await page.screenshot({ path: screenshotPath, fullPage: true });

      // Experiments and Models pages, reached through the top navigation.
      await page.getByRole('link', { name: 'Experiments' }).click();
      const runRows = page.locator('[data-testid=runs-table] tbody tr');
      await runRows.first().waitFor();
      expect(await runRows.count()).toBeGreaterThanOrEqual(2);
      // The champion run the bootstrap registered shows its version, looked up in the registry.
      await page
        .locator('[data-testid=runs-table] tbody tr')
        .filter({ hasText: 'champion' })
        .getByText('v2', { exact: true })
        .waitFor();
      await page.locator('[data-testid=runs-table] tbody input[type=checkbox]').nth(1).check();
      await page.locator('.fold-chart svg polyline').first().waitFor();
      expect(await page.locator('[data-testid=compare-table] thead th').count()).toBe(2);
      const compareHead = page.getByRole('region', { name: 'Compare runs' }).locator('h2');
      expect(await compareHead.innerText()).toContain('(1 run)');

      // Training from the page: the train flow run ends and its run joins the table.
      const before = await runRows.count();
      await page.getByLabel('Model kind to train').selectOption('naive');
      await page.getByRole('button', { name: /^Train naive on \^GSPC at 1d$/ }).click();
      await page
        .getByRole('form', { name: 'Train a model' })
        .getByText('Completed')
        .waitFor({ timeout: 120_000 });
      await expect.poll(() => runRows.count(), { timeout: 30_000 }).toBeGreaterThan(before);
      await page.screenshot({
        path: path.join(path.dirname(screenshotPath), 'experiments.png'),
        fullPage: true,
      });
      await page.getByRole('link', { name: 'Models' }).click();
      await page.locator('[data-testid=audit-table] tbody tr').first().waitFor();
      expect(await page.locator('[data-testid=versions-table]').innerText()).toContain('champion');
      // The bootstrap's two versions (naive, ridge as champion) and the naive one trained above; the
      // form offers the newest that is not champion, and refuses to "promote" the champion itself.
      const versionsPanel = page.getByRole('region', { name: 'Versions' });
      expect(await versionsPanel.locator('h2').innerText()).toContain('· 3 versions ·');
      await page.getByTestId('promote-reason').fill('e2e: try to promote the champion');
      const promote = page.getByRole('button', { name: 'Promote to champion' });
      expect(await page.getByTestId('promote-version').inputValue()).toBe('3');
      await expect(promote.isEnabled()).resolves.toBe(true);
      await page.getByTestId('promote-version').selectOption('2');
      await expect(promote.isDisabled()).resolves.toBe(true);
      await page.getByTestId('promote-hint').waitFor();
      await page.screenshot({
        path: path.join(path.dirname(screenshotPath), 'models.png'),
        fullPage: true,
      });
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
