// Browser test of the Monitoring page: the real app (`node bin/stockops.js start`) driven by Debian chromium.
// Real: the server, its monitor flow and stores, the built UI, chromium. The test serves forecasts from the
// sample's last bars, imports the bars that follow (so they mature) and runs the monitor flow through the HTTP
// API; the page must show realised accuracy, the drift table with a histogram, the retrain decisions and an
// alert it can acknowledge, in English and in Traditional Chinese (screenshots at 1440 and 390 px).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServerProcess, waitFor, type RunningServer } from '../cli/run.js';
import { launchChromium } from './browser.js';

const SHOTS = path.join(ROOT, 'tests/e2e/__screenshots__');
const HEADER = 'Date,Open,High,Low,Close,Adj Close,Volume';
/** The S&P 500 in the week after the bundled sample ends (Friday 2020-04-17). */
const NEXT_BARS = [
  '2020-04-20,2845.62,2868.98,2820.43,2823.16,2823.16,5220160000',
  '2020-04-21,2784.81,2785.54,2727.10,2736.56,2736.56,5075830000',
  '2020-04-22,2787.89,2815.10,2775.95,2799.31,2799.31,5049660000',
];

let server: RunningServer;
let browser: Browser;

async function api<T>(method: string, url: string, body?: string, type?: string): Promise<T> {
  const res = await fetch(`${server.url}${url}`, {
    method,
    ...(body === undefined
      ? {}
      : { body, headers: { 'content-type': type ?? 'application/json' } }),
  });
  const text = await res.text();
  expect(res.status, `${method} ${url}: ${text}`).toBeLessThan(300);
  return JSON.parse(text) as T;
}

async function monitor(): Promise<void> {
  const { id } = await api<{ id: string }>('POST', '/api/flows/monitor/runs', '{}');
  const run = await waitFor(
    'the monitor run',
    async () => {
      const r = await api<{ state: string; error: unknown }>('GET', `/api/flow-runs/${id}`);
      return ['Completed', 'Failed', 'Cancelled'].includes(r.state) ? r : null;
    },
    120_000,
  );
  expect(run.state, JSON.stringify(run.error)).toBe('Completed');
}

beforeAll(async () => {
  const home = mkdtempSync(path.join(tmpdir(), 'stockops-e2e-monitoring-'));
  server = await startServerProcess({ STOCKOPS_HOME: home, STOCKOPS_SCHEDULES: 'false' });
  await waitFor(
    'the first-start bootstrap',
    async () => {
      const h = (await (await fetch(`${server.url}/api/health`)).json()) as {
        bootstrap?: { state: string };
      };
      return h.bootstrap?.state === 'done' ? true : null;
    },
    180_000,
  );
  // Day by day: serve the one-day forecast, load the next bar (it matures), monitor.
  for (const bar of NEXT_BARS) {
    await api('GET', '/api/predict?ticker=%5EGSPC&horizon=1');
    // The forecast log writes every 100 ms.
    await new Promise((r) => setTimeout(r, 400));
    await api('POST', '/api/import?ticker=%5EGSPC', `${HEADER}\n${bar}`, 'text/csv');
    await monitor();
  }
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser.close();
  await server.stop();
});

async function open(
  lang: 'en' | 'zh-TW',
  width: number,
): Promise<{ page: Page; done: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: lang });
  await context.addInitScript(`localStorage.setItem('stockops.language', ${JSON.stringify(lang)})`);
  const page = await context.newPage();
  await page.goto(`${server.url}/monitoring`);
  return { page, done: () => context.close() };
}

describe('Monitoring page', () => {
  it('shows realised skill and coverage beside naive, the drift table with a histogram, decisions and alerts', async () => {
    const { page, done } = await open('en', 1440);
    await expect.poll(() => page.getByTestId('monitoring-ticker').inputValue()).toBe('^GSPC');
    // Three forecasts matured, one point per monitor run.
    const realised = page.getByTestId('realised-table');
    await realised.waitFor();
    const rows = realised.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const newest = await rows.first().innerText();
    expect(newest).toMatch(/Wed, Apr 22, 2020\s+v\d+\s+3\s/);
    await page.getByTestId('skill-chart').locator('svg polyline').first().waitFor();

    // Every feature of the champion's feature set, with its test, threshold and verdict.
    const drift = page.getByTestId('drift-table');
    await drift.waitFor();
    const features = drift.locator('tbody tr');
    expect(await features.count()).toBeGreaterThan(3);
    expect(await features.first().innerText()).toMatch(
      /(Kolmogorov|Wasserstein|Chi-square|Z test|Jensen|Not enough data)/,
    );
    await expect(page.getByTestId('drift-summary').innerText()).resolves.toMatch(
      /features drifted|not enough data/,
    );
    // Picking another feature redraws the histogram for it.
    const second = features.nth(1).getByRole('button');
    const name = await second.innerText();
    await second.click();
    await page.getByTestId('histogram').getByText(`${name}: reference vs current`).waitFor();
    expect(await page.getByTestId('histogram').locator('rect').count()).toBeGreaterThan(4);

    // Each monitor run decided about the champion.
    await expect
      .poll(() => page.getByTestId('decisions-table').locator('tbody tr').count())
      .toBeGreaterThanOrEqual(3);

    await page.screenshot({ path: path.join(SHOTS, 'monitoring-en-1440.png'), fullPage: true });
    await page.screenshot({ path: path.join(SHOTS, 'monitoring-en-1440-top.png') });
    await done();
  }, 120_000);

  it('acknowledges an open alert', async () => {
    // A scheduled ticker whose last bar is years old: the monitor's stale-data rule has raised it.
    const open_ = await api<{ id: number; rule: string }[]>('GET', '/api/alerts?state=active');
    expect(open_.map((a) => a.rule)).toContain('stale-data');
    const { page, done } = await open('en', 1440);
    const alert = page.getByTestId('alert').filter({ hasText: 'Stale data' }).first();
    await alert.waitFor();
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await alert.getByText('acknowledged').waitFor();
    const acked = await api<{ rule: string; state: string }[]>(
      'GET',
      '/api/alerts?state=acknowledged',
    );
    expect(acked.map((a) => a.rule)).toContain('stale-data');
    await done();
  }, 60_000);

  it('reads in Traditional Chinese, and fits a phone', async () => {
    for (const [lang, width] of [
      ['zh-TW', 1440],
      ['zh-TW', 390],
      ['en', 390],
    ] as const) {
      const { page, done } = await open(lang, width);
      await page.getByTestId('realised-table').waitFor();
      await page.getByTestId('drift-table').waitFor();
      if (lang === 'zh-TW') {
        await page.getByRole('heading', { name: '實際準確度' }).waitFor();
        await page.getByRole('heading', { name: '資料漂移' }).waitFor();
      }
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow, `${lang} @${width}`).toBeLessThanOrEqual(0);
      await page.screenshot({
        path: path.join(SHOTS, `monitoring-${lang}-${width}.png`),
        fullPage: true,
      });
      await done();
    }
  }, 120_000);
});
