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
    await page.getByRole('navigation').getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('heading', { name: 'Start a flow' }).waitFor();
    await page.getByRole('combobox', { name: 'Flow', exact: true }).selectOption('bootstrap');
    await page.getByRole('button', { name: 'Start flow' }).click();
    await page.getByRole('status').filter({ hasText: 'started' }).waitFor();
    const row = page.locator('.run-row').first();
    await row.getByText('Completed').waitFor({ timeout: 120_000 });
    await expect(row.locator('td').nth(0).textContent()).resolves.toContain('bootstrap');
    await page.getByRole('log').getByText('completed').waitFor({ timeout: 10_000 });
    const schedules = page.getByRole('region', { name: 'Schedules' });
    await expect(schedules.getByText('America/New_York').count()).resolves.toBe(2);

    // The form is built from the flow's parameter schemas: a ticker field, a model and a horizon choice.
    // A train flow run says what it is about: its ticker, model and horizon (defaults filled in).
    await page.getByRole('combobox', { name: 'Flow', exact: true }).selectOption('train');
    await page.getByLabel('Ticker').fill('^GSPC');
    await expect(page.getByLabel('Horizon').inputValue()).resolves.toBe('1');
    await page.getByRole('button', { name: 'Start flow' }).click();
    const trainRow = page.locator('.run-row').filter({ hasText: 'train' }).first();
    await trainRow.waitFor({ timeout: 30_000 });
    await expect(trainRow.locator('td').nth(1).textContent()).resolves.toContain(
      '^GSPC · ridge · 1d',
    );
    await page.screenshot({
      path: path.join(ROOT, 'tests/e2e/__screenshots__/flows.png'),
      fullPage: true,
    });
  }, 240_000);
});

describe('client-side routes', () => {
  it('sends the old /pipelines address to the Flows page', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${server.url}/pipelines?from=bookmark`);
    await page.getByRole('heading', { name: 'Start a flow' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/flows');
    expect(new URL(page.url()).search).toBe('?from=bookmark');
    const active = page.getByRole('link', { name: 'Flows' });
    await expect(active.getAttribute('aria-current')).resolves.toBe('page');
    await expect(page.getByRole('link', { name: 'Pipelines' }).count()).resolves.toBe(0);
    await page.close();
  });

  it('shows a 404 page for an unknown path, with links to the pages there are', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => {
      pageErrors.push(err.message);
    });
    await page.goto(`${server.url}/no-such-page`);
    const notFound = page.getByTestId('not-found');
    await notFound.getByRole('heading', { name: 'Page not found' }).waitFor();
    await expect(notFound.textContent()).resolves.toContain('/no-such-page');
    // Not the Forecast page, which unknown paths used to show.
    await expect(page.getByTestId('ticker-select').count()).resolves.toBe(0);
    await notFound.getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('heading', { name: 'Start a flow' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/flows');
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
