// Browser tests of every page in both languages, on a desktop and a phone, and of the Datasets and Recipes work flows.
// Real: the stockops server (bundled sample, first-start models, recorded Yahoo responses as its price source),
// the built UI, Debian chromium, axe-core injected into each page.
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServerProcess, type RunningServer } from '../cli/run.js';
import { launchChromium } from './browser.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const PAGES = [
  '/',
  '/forecast',
  '/datasets',
  '/recipes',
  '/experiments',
  '/models',
  '/predictions',
  '/flows',
  '/live',
  '/no-such-page',
];
const SIZES = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
];
/** An endpoint of another issue (alerts) that this server may not have yet: its 404 is handled. */
const OPTIONAL = /\/api\/alerts\b/;

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  const home = mkdtempSync(path.join(tmpdir(), 'stockops-e2e-pages-'));
  server = await startServerProcess({
    STOCKOPS_HOME: home,
    PRICE_SOURCE_URL: `file://${path.join(ROOT, 'tests', 'fixtures', 'yahoo')}`,
    STOCKOPS_SCHEDULES: 'false',
  });
  for (let i = 0; i < 240; i++) {
    const h = (await (await fetch(`${server.url}/api/health`)).json()) as {
      bootstrap?: { state: string };
    };
    if (h.bootstrap === undefined || h.bootstrap.state === 'done') {
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser.close();
  await server.stop();
});

async function open(lang: 'en' | 'zh-TW', viewport: { width: number; height: number }) {
  const context = await browser.newContext({ viewport, locale: lang });
  // The page's language as a returning visitor left it (what the header switch stores).
  await context.addInitScript(`localStorage.setItem('stockops.language', ${JSON.stringify(lang)})`);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !OPTIONAL.test(m.location().url)) {
      problems.push(`console: ${m.text()} (${m.location().url})`);
    }
  });
  return { context, page, problems };
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  // Evaluated in the page (no DOM types here): axe over the whole document, violations only.
  const result = await page.evaluate<{
    violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
  }>("window.axe.run(document, { resultTypes: ['violations'] })");
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('every page', () => {
  for (const lang of ['en', 'zh-TW'] as const) {
    it(`opens in ${lang} at 1440 and 390 px without console errors, horizontal overflow or serious axe violations`, async () => {
      const found: string[] = [];
      for (const viewport of SIZES) {
        const { context, page, problems } = await open(lang, viewport);
        for (const p of PAGES) {
          await page.goto(`${server.url}${p}`);
          await page.locator('main h1, main h2').first().waitFor();
          await page.waitForLoadState('networkidle');
          expect(await page.getAttribute('html', 'lang'), p).toBe(lang);
          const overflow = await page.evaluate<number>(
            'document.documentElement.scrollWidth - window.innerWidth',
          );
          if (overflow > 0) {
            found.push(`${p} @${viewport.width}: ${overflow}px of horizontal overflow`);
          }
          for (const v of await seriousViolations(page)) {
            found.push(`${p} @${viewport.width}: ${v}`);
          }
          found.push(...problems.splice(0).map((x) => `${p} @${viewport.width}: ${x}`));
        }
        await context.close();
      }
      expect(found.join('\n')).toBe('');
    }, 180_000);
  }

  it('switches language from the header, remembers it and keeps <html lang> in step', async () => {
    const context: BrowserContext = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${server.url}/flows`);
    await page.getByRole('heading', { name: 'Start a flow' }).waitFor();
    await page.getByLabel('Language').selectOption('zh-TW');
    await page.getByRole('heading', { name: '啟動工作流程' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-TW');
    await page.reload();
    await page.getByRole('heading', { name: '啟動工作流程' }).waitFor();
    await context.close();
  });

  it('lists a served forecast in the forecast log on the Predictions page', async () => {
    const served = (await (
      await fetch(`${server.url}/api/predict?ticker=%5EGSPC&horizon=5`)
    ).json()) as {
      model: { version: number };
      predictedClose: number;
    };
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${server.url}/predictions`);
    const row = page.getByTestId('log-table').locator('tbody tr', { hasText: '5d' }).first();
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('^GSPC');
    expect(text).toContain(`v${served.model.version}`);
    expect(text).toContain('pending');
    await context.close();
  });

  it('sends the old home page forecast links (/?ticker=) to the Forecast page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/?ticker=%5EGSPC`);
    await page.getByTestId('ticker-select').waitFor();
    expect(new URL(page.url()).pathname).toBe('/forecast');
    await expect
      .poll(() => page.getByTestId('ticker-select').inputValue(), { timeout: 10_000 })
      .toBe('^GSPC');
    await context.close();
  });
});

describe('Datasets page', () => {
  it('adds a ticker from the price source and follows its ETL to the end, step by step', async () => {
    const { context, page, problems } = await open('en', { width: 1280, height: 900 });
    await page.goto(`${server.url}/datasets`);
    await page.getByRole('textbox', { name: /^Tickers/ }).fill('aapl, ZZZZ');
    await page.getByRole('button', { name: 'Fetch 2 tickers' }).click();
    const progress = page.getByTestId('etl-progress');
    await progress.getByText('Completed').waitFor({ timeout: 60_000 });
    const results = page.getByTestId('etl-results');
    const aapl = results.getByRole('row', { name: /AAPL/ });
    await expect(aapl.innerText()).resolves.toMatch(/loaded\s+64\s+64\s+0\s+0/);
    // The unknown symbol fails with what to do about it, not the source's raw words.
    await expect(results.getByRole('row', { name: /ZZZZ/ }).innerText()).resolves.toContain(
      'Yahoo Finance does not know this symbol',
    );
    // Every step ran; the fetch step says one ticker failed in it.
    await expect(progress.locator('.etl-step.step-done').count()).resolves.toBe(5);
    await expect(progress.locator('.etl-step.step-warn').innerText()).resolves.toContain('Fetch');
    // The new ticker joins the table with its exchange, currency and last ETL.
    const row = page.getByTestId('datasets-table').getByRole('row', { name: /AAPL/ });
    await row.waitFor();
    await expect(row.innerText()).resolves.toMatch(/NYSE\/Nasdaq\s+USD\s+2020-07-01\s+2020-09-30/);
    await row.getByRole('button', { name: 'AAPL' }).click();
    await page.getByRole('heading', { name: 'History of AAPL' }).waitFor();
    await page.locator('[data-testid=price-chart] canvas').first().waitFor();
    expect(problems.filter((p) => !p.includes('400'))).toEqual([]);
    await context.close();
  }, 120_000);
});

describe('Recipes page', () => {
  it('creates a recipe with a form that checks itself, trains from it and shows the run on Experiments', async () => {
    const { context, page, problems } = await open('en', { width: 1280, height: 900 });
    await page.goto(`${server.url}/recipes`);
    await page.getByRole('button', { name: 'New recipe' }).click();
    await page.getByRole('textbox', { name: 'Id', exact: true }).fill('Ridge Fast');
    // Checked as it is typed, against the contract's schema.
    await page.getByText('Only lower-case letters, digits and dashes').waitFor();
    await page.getByRole('textbox', { name: 'Id', exact: true }).fill('ridge-fast');
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Ridge, fast walk-forward');
    await page.getByRole('textbox', { name: 'Ridge penalties (alpha)' }).fill('10, 100');
    await page.getByRole('textbox', { name: 'Step (rows)' }).fill('2');
    await page.getByText('At least 5.').waitFor();
    await page.getByRole('textbox', { name: 'Step (rows)' }).fill('500');
    await page.getByRole('textbox', { name: 'First window (rows)' }).fill('1500');
    await page.getByRole('button', { name: 'Create recipe' }).click();
    const table = page.getByTestId('recipes-table');
    await table.getByRole('row', { name: /ridge-fast@1/ }).waitFor();
    await table
      .getByRole('row', { name: /ridge-fast@1/ })
      .getByRole('button', { name: 'Run' })
      .click();
    await page.getByRole('checkbox', { name: '^GSPC' }).check();
    await page.getByRole('button', { name: 'Start 1 run' }).click();
    const runs = page.getByTestId('recipe-runs');
    await runs.getByText('Completed').waitFor({ timeout: 120_000 });
    await runs.getByRole('link', { name: 'See the runs on Experiments' }).click();
    const row = page
      .locator('[data-testid=runs-table] tbody tr')
      .filter({ hasText: 'ridge-fast@1' });
    await row.first().waitFor({ timeout: 30_000 });
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
