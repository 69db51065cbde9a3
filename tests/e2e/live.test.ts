// Browser test of the Live page: the real app (`node bin/stockops.js start`, in-process bus) driven by Debian
// chromium. Real: the server and its WebSocket channels, the built UI, chromium; the prediction is served through
// the HTTP API by the test and must appear on the open page without a reload.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServerProcess, waitFor, type RunningServer } from '../cli/run.js';
import { launchChromium } from './browser.js';

const SHOTS = path.join(ROOT, 'tests/e2e/__screenshots__');

let server: RunningServer;
let browser: Browser;
beforeAll(async () => {
  const home = mkdtempSync(path.join(tmpdir(), 'stockops-e2e-live-'));
  // The bootstrap trains the sample's champion, so /api/predict has something to serve.
  server = await startServerProcess({
    STOCKOPS_HOME: home,
    STOCKOPS_INSTANCE: 'e2e-server',
    GRAFANA_URL: 'http://grafana.example:3000',
  });
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
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser.close();
  await server.stop();
});

describe('Live page', () => {
  it('streams the process charts and a prediction served through the API, without a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => {
      pageErrors.push(err.message);
    });
    await page.goto(`${server.url}/live`);
    await page.getByRole('banner').getByTestId('live-status').getByText('live').waitFor();
    await page.getByRole('list', { name: 'Processes' }).getByText('e2e-server').waitFor();
    await expect(page.getByRole('link', { name: /Grafana/ }).getAttribute('href')).resolves.toBe(
      'http://grafana.example:3000',
    );

    const res = await fetch(`${server.url}/api/predict?ticker=%5EGSPC&horizon=1`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { predictedClose: number; modelVersion: number };
    const row = page.getByTestId('live-predictions').locator('tbody tr').first();
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('^GSPC');
    await expect(row.textContent()).resolves.toContain(`v${body.modelVersion}`);
    await expect(row.textContent()).resolves.toContain(
      body.predictedClose.toLocaleString('en-US', {
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      }),
    );
    // A few samples, so the charts have lines to show in the screenshots.
    await page.waitForTimeout(6_000);
    await page.screenshot({ path: path.join(SHOTS, 'live-1440.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(SHOTS, 'live-390.png'), fullPage: true });
    expect(pageErrors).toEqual([]);

    // The server goes away: the page says it is reconnecting, and when.
    await server.stop();
    await page
      .getByTestId('live-status')
      .getByText(/reconnecting in \d+ s/)
      .first()
      .waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'live-reconnecting.png') });
  }, 180_000);
});
