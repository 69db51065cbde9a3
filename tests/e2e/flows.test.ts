// Browser test of the Flows page: the real app (`node bin/stockops.js start`) driven by Debian chromium.
// Real: the stockops server with its in-process flow runner, its embedded store, the built UI, chromium.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServerProcess, type RunningServer } from '../cli/run.js';
import { launchChromium } from './browser.js';

let server: RunningServer;
let browser: Browser;
beforeAll(async () => {
  const home = mkdtempSync(path.join(tmpdir(), 'stockops-e2e-flows-'));
  server = await startServerProcess({ STOCKOPS_HOME: home, STOCKOPS_BOOTSTRAP: 'false' });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser.close();
  await server.stop();
});

describe('Flows page', () => {
  it('starts a flow with the button and shows the flow run with its state, duration and logs', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('heading', { name: 'Start a flow' }).waitFor();
    await page.getByLabel('Flow to start').selectOption('bootstrap');
    await page.getByRole('button', { name: 'Start flow' }).click();
    await page.getByRole('status').filter({ hasText: 'started' }).waitFor();
    const row = page.locator('.run-row').first();
    await row.getByText('Completed').waitFor({ timeout: 120_000 });
    await expect(row.locator('td').nth(0).textContent()).resolves.toContain('bootstrap');
    await page.getByRole('log').getByText('completed').waitFor({ timeout: 10_000 });
    const schedules = page.getByRole('region', { name: 'Schedules' });
    await expect(schedules.getByText('America/New_York').count()).resolves.toBe(2);
    await page.screenshot({
      path: path.join(ROOT, 'tests/e2e/__screenshots__/flows.png'),
      fullPage: true,
    });
  }, 240_000);
});
