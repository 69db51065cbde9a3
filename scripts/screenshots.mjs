// Screenshots of the main pages in English and Traditional Chinese, on a desktop and a phone, for the README:
/* global fetch, localStorage */
// starts the app on a fresh data folder (bundled sample, recorded Yahoo responses), loads a ticker through the ETL,
// stores a recipe, then drives Debian chromium through every page. Writes docs/screenshots/*.png (pngquant when installed).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const PAGES = [
  ['overview', '/'],
  ['forecast', '/forecast?ticker=%5EGSPC'],
  ['datasets', '/datasets?ticker=AAPL'],
  ['recipes', '/recipes'],
  ['experiments', '/experiments'],
  ['models', '/models'],
  ['predictions', '/predictions'],
  ['flows', '/flows'],
];
/** Pages also shown as a phone sees them. */
const PHONE = new Set(['overview', 'datasets', 'recipes', 'predictions']);
const LANGS = [
  ['en', 'en'],
  ['zh-TW', 'zh'],
];

function startApp(home) {
  const child = spawn(process.execPath, ['bin/stockops.js', 'start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      STOCKOPS_HOME: home,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      PRICE_SOURCE_URL: `file://${join(ROOT, 'tests', 'fixtures', 'yahoo')}`,
      STOCKOPS_SCHEDULES: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = new Promise((resolve, reject) => {
    let out = '';
    const onData = (d) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        resolve(m[1].replace(/\/$/, ''));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`stockops exited (${code}):\n${out}`)));
  });
  return { child, url };
}

async function api(base, method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} ${path}: ${res.status} ${text}`);
  }
  return text === '' ? null : JSON.parse(text);
}

async function until(what, fn, ms = 180_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) {
      return;
    }
    await sleep(500);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function waitRun(base, id) {
  await until(`flow run ${id}`, async () =>
    ['Completed', 'Failed', 'Cancelled'].includes(
      (await api(base, 'GET', `/api/flow-runs/${id}`)).state,
    ),
  );
}

async function main() {
  if (!existsSync(join(ROOT, 'web', 'dist', 'index.html'))) {
    throw new Error('web/dist is missing: run `npm run build` first');
  }
  mkdirSync(OUT, { recursive: true });
  const home = mkdtempSync(join(tmpdir(), 'stockops-shots-'));
  const app = startApp(home);
  let browser;
  try {
    const base = await app.url;
    await until('the first start', async () => {
      const h = await api(base, 'GET', '/api/health');
      return h.bootstrap === undefined || h.bootstrap.state === 'done';
    });
    // Something on every page: a ticker loaded by the ETL, a recipe and a run trained from it.
    await waitRun(base, (await api(base, 'POST', '/api/etl', { tickers: ['AAPL', '2330.TW'] })).id);
    await api(base, 'POST', '/api/recipes', {
      id: 'ridge-sliding',
      name: 'Ridge, 4-year sliding window',
      description: 'Ridge on the alpha features; the window slides so old regimes drop out.',
      spec: {
        model: { kind: 'ridge', ridge: { alphas: [10, 100, 1000] } },
        featureSet: 'alpha@1',
        horizons: [1, 5],
        window: { type: 'sliding', start: null },
        walkForward: { initialTrain: 1000, step: 250, purge: null, embargo: 2 },
      },
    });
    const started = await api(base, 'POST', '/api/recipes/ridge-sliding/runs', {
      tickers: ['^GSPC'],
      action: 'train',
    });
    for (const r of started.runs) {
      await waitRun(base, r.id);
    }
    // Forecasts served, so the Predictions page shows the forecast log.
    for (const ticker of ['^GSPC']) {
      for (const horizon of [1, 5, 20]) {
        await api(
          base,
          'GET',
          `/api/predict?ticker=${encodeURIComponent(ticker)}&horizon=${horizon}`,
        );
      }
    }

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    for (const [lng, suffix] of LANGS) {
      for (const [name, path] of PAGES) {
        const sizes = [['', { width: 1280, height: 860 }]];
        if (PHONE.has(name)) {
          sizes.push(['-phone', { width: 390, height: 844 }]);
        }
        for (const [tag, viewport] of sizes) {
          const context = await browser.newContext({
            viewport,
            locale: lng,
            deviceScaleFactor: 1,
            colorScheme: 'dark',
          });
          await context.addInitScript((l) => localStorage.setItem('stockops.language', l), lng);
          const page = await context.newPage();
          await page.goto(`${base}${path}`);
          await page.waitForLoadState('networkidle');
          await page.waitForTimeout(600);
          const file = join(OUT, `${name}-${suffix}${tag}.png`);
          await page.screenshot({ path: file, fullPage: tag === '' ? false : true });
          await context.close();
          process.stdout.write(`${file}\n`);
        }
      }
    }
  } finally {
    await browser?.close();
    app.child.kill('SIGTERM');
    await sleep(1000);
    rmSync(home, { recursive: true, force: true });
  }
  try {
    execFileSync('pngquant', [
      '--force',
      '--ext',
      '.png',
      '--quality',
      '70-90',
      '--skip-if-larger',
      ...PAGES.flatMap(() => []),
      ...listPngs(),
    ]);
  } catch (e) {
    process.stderr.write(
      `pngquant not run (${e.message.split('\n')[0]}); install it to shrink the PNGs\n`,
    );
  }
}

function listPngs() {
  return execFileSync('ls', [OUT])
    .toString()
    .split('\n')
    .filter((f) => f.endsWith('.png'))
    .map((f) => join(OUT, f));
}

await main();
