// Browser test of the Forecast page at 1440 and 390 px: the real app (`node bin/stockops.js start`, first start included) driven by Debian chromium.
// Real: the stockops server with its bootstrap (naive and ridge at h = 1, 5, 20), the embedded store, the built UI, chromium.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomWalkBars } from '../../src/core/testing/index.js';
import { ROOT, startServerProcess, waitFor, type RunningServer } from '../cli/run.js';
import { launchChromium } from './browser.js';

const API_KEY = 'e2e-forecast-key';
const SHOTS = path.join(ROOT, 'tests/e2e/__screenshots__');

let server: RunningServer;
let browser: Browser;

/** What the page functions below read in the browser (tests compile without the DOM library). */
interface BrowserGlobals {
  document: {
    documentElement: { scrollWidth: number };
    querySelectorAll(selector: string): ArrayLike<CanvasLike>;
  };
  innerWidth: number;
}

interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  } | null;
}

async function api(method: 'GET' | 'POST', url: string, body?: string, type = 'application/json') {
  const res = await fetch(`${server.url}${url}`, {
    method,
    headers: { 'x-api-key': API_KEY, ...(body === undefined ? {} : { 'content-type': type }) },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  expect(res.status, `${method} ${url}: ${text}`).toBeLessThan(300);
  return JSON.parse(text) as unknown;
}

beforeAll(async () => {
  const home = mkdtempSync(path.join(tmpdir(), 'stockops-e2e-forecast-'));
  server = await startServerProcess({ STOCKOPS_HOME: home, STOCKOPS_API_KEY: API_KEY });
  // The first start trains naive and ridge at h = 1, 5 and 20; the page is checked once all serve.
  await waitFor('the first start', async () => {
    const health = (await api('GET', '/api/health')) as { bootstrap?: { state: string } };
    if (health.bootstrap?.state === 'failed') {
      throw new Error('the first start failed');
    }
    return health.bootstrap?.state === 'done' ? true : null;
  });
  // A second ticker with a champion at h = 1 only: the page offers to train the missing horizons.
  const rows = randomWalkBars(1300, 77).map(
    (b) => `${b.date},${b.open},${b.high},${b.low},${b.close},${b.adjClose},${b.volume}`,
  );
  await api(
    'POST',
    '/api/import?ticker=RWALK',
    ['Date,Open,High,Low,Close,Adj Close,Volume', ...rows].join('\n'),
    'text/csv',
  );
  const { jobId } = (await api(
    'POST',
    '/api/train',
    JSON.stringify({ ticker: 'RWALK', model: 'naive', horizon: 1 }),
  )) as { jobId: string };
  await waitFor('the RWALK h = 1 training', async () => {
    const job = (await api('GET', `/api/jobs/${jobId}`)) as { status: string };
    return job.status === 'completed' ? true : null;
  });
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser.close();
  await server.stop();
});

/**
 * Pixels of each band on the chart's canvases: the bands are one translucent purple, the 95% band
 * alone at about 12% opacity and the 80% band over it at about 31%, so each is told apart by alpha.
 */
function bandPixels(page: Page): Promise<{ band95: number; band80: number }> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as BrowserGlobals;
    let band95 = 0;
    let band80 = 0;
    for (const canvas of Array.from(
      document.querySelectorAll('[data-testid=price-chart] canvas'),
    )) {
      const ctx = canvas.getContext('2d');
      if (!ctx || canvas.width === 0 || canvas.height === 0) {
        continue;
      }
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, data[i + 3] ?? 0];
        const purple = b > g + 50 && r > g + 25;
        if (purple && a >= 22 && a <= 42) {
          band95++;
        } else if (purple && a >= 68 && a <= 92) {
          band80++;
        }
      }
    }
    return { band95, band80 };
  });
}

async function openForecast(width: number, ticker: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => {
    errors.push(e.message);
  });
  await page.goto(`${server.url}/?ticker=${encodeURIComponent(ticker)}`);
  await page.getByTestId('path-table').locator('tbody tr').first().waitFor({ timeout: 30_000 });
  await page.getByText('Loading prices…').waitFor({ state: 'detached' });
  // Canvas drawing follows the data by a frame or two.
  await expect
    .poll(async () => Math.min(...Object.values(await bandPixels(page))), { timeout: 10_000 })
    .toBeGreaterThan(200);
  expect(errors).toEqual([]);
  return page;
}

/** Each row's `source` (model, interpolated, naive), in row order. */
const sourcesOf = async (rows: Locator) =>
  Promise.all((await rows.all()).map((row) => row.getAttribute('data-source')));

const overflow = (page: Page) =>
  page.evaluate(() => {
    const { document, innerWidth } = globalThis as unknown as BrowserGlobals;
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth };
  });

describe('Forecast page', () => {
  for (const width of [1440, 390]) {
    it(`at ${width} px draws the path with its 80% and 95% bands, tables the 20 days, and fits the width`, async () => {
      const page = await openForecast(width, '^GSPC');
      const bands = await bandPixels(page);
      expect(bands.band80).toBeGreaterThan(200);
      expect(bands.band95).toBeGreaterThan(200);
      const rows = page.getByTestId('path-table').locator('tbody tr');
      await expect(rows.count()).resolves.toBe(20);
      const sources = await sourcesOf(rows);
      expect(sources.filter((s) => s === 'model')).toHaveLength(3);
      expect(sources).not.toContain('naive');
      // The champion of each horizon, with its skill beside naive and why it serves.
      const champions = page.getByTestId('champions-table');
      await expect(champions.locator('tbody tr').count()).resolves.toBe(3);
      await expect(champions.locator('tr[data-horizon="5"]').innerText()).resolves.toContain(
        'naive is the floor',
      );
      // Nothing is wider than the window, the navigation included.
      const { scrollWidth, innerWidth } = await overflow(page);
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
      for (const link of ['Forecast', 'Experiments', 'Models', 'Flows']) {
        const box = await page.getByRole('link', { name: link }).boundingBox();
        expect(box, link).not.toBeNull();
        expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= innerWidth).toBe(true);
      }
      await page.screenshot({ path: path.join(SHOTS, `forecast-${width}.png`), fullPage: true });
      await page.close();
    }, 60_000);
  }

  it('trains a missing horizon from the page with the API key, and the path then uses it', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 900 } });
    await page.goto(`${server.url}/?ticker=RWALK`);
    const rows = page.getByTestId('path-table').locator('tbody tr');
    await rows.first().waitFor({ timeout: 30_000 });
    // h = 1 only: day 1 is its champion's, every later day the naive path.
    await expect
      .poll(() => sourcesOf(rows))
      .toEqual(['model', ...Array.from({ length: 19 }, () => 'naive')]);
    const form = page.getByRole('form', { name: 'Train a missing horizon' });
    await form.getByLabel('API key').fill(API_KEY);
    await form.getByRole('button', { name: 'Train ridge at 5d' }).click();
    await form.getByText('Completed').waitFor({ timeout: 120_000 });
    await expect
      .poll(() => sourcesOf(rows), {
        timeout: 30_000,
      })
      .toEqual([
        'model',
        'interpolated',
        'interpolated',
        'interpolated',
        'model',
        ...Array.from({ length: 15 }, () => 'naive'),
      ]);
    await expect(form.getByRole('button', { name: 'Train ridge at 5d' }).count()).resolves.toBe(0);
    const { scrollWidth, innerWidth } = await overflow(page);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    await page.close();
  }, 180_000);
});
