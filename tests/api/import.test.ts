// CSV import at the edge (issue 12): dates the database cannot store, bounded work per file, no duplicate quarantine,
// split-consistent history. On the real app with the embedded store in memory.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csv, harness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await harness({
    bootstrap: false,
    env: { STOCKOPS_IMPORT_MAX_ROWS: '5000', STOCKOPS_IMPORT_MAX_BAD_SHARE: '0.5' },
  });
});
afterAll(async () => {
  await h.close();
});

const post = (ticker: string, body: string) =>
  h.app.inject({
    method: 'POST',
    url: `/api/import?ticker=${encodeURIComponent(ticker)}`,
    payload: body,
    headers: { 'content-type': 'text/csv' },
  });
const symbols = async () =>
  (await h.app.inject({ url: '/api/tickers' })).json<{ symbol: string }[]>().map((t) => t.symbol);
const quarantine = async (ticker: string) =>
  (await h.app.inject({ url: `/api/quarantine?ticker=${encodeURIComponent(ticker)}` })).json<
    unknown[]
  >();

/** Trading-day-like dates from 2001-01-02 on, weekdays only. */
function weekdays(n: number, from = '2001-01-02'): string[] {
  const out: string[] = [];
  const d = new Date(`${from}T00:00:00Z`);
  while (out.length < n) {
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) {
      out.push(d.toISOString().slice(0, 10));
    }
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

const row = (date: string, close: number, adj = close) =>
  `${date},${close},${(close * 1.01).toFixed(4)},${(close * 0.99).toFixed(4)},${close},${adj},1000`;

describe('POST /api/import: rows the database cannot store', () => {
  it('quarantines a row dated year 0 and stores the valid row after it', async () => {
    const res = await post(
      'ZERO',
      csv(['0000-06-15,10,11,9,10,10,100', '2020-06-15,10,11,9,10,10,100']),
    );
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.json()).toMatchObject({ imported: 1, quarantined: [{ line: 2 }] });
    expect(await symbols()).toContain('ZERO');
    expect(await quarantine('ZERO')).toHaveLength(1);
  });
});

describe('POST /api/import: re-importing a file', () => {
  it('never stores its quarantined rows twice', async () => {
    const body = csv([
      '2020-01-02,10,11,9,10,10,100',
      '2020-01-03,10,9,11,10,10,100',
      'garbage',
      '2020-01-06,10,11,9,10,10,100',
    ]);
    expect((await post('REIMP', body)).json()).toMatchObject({ imported: 2, quarantinedTotal: 2 });
    expect((await post('REIMP', body)).json()).toMatchObject({ imported: 0, duplicates: 2 });
    expect(await quarantine('REIMP')).toHaveLength(2);
  });
});

describe('POST /api/import: bounds', () => {
  it('lists the first 100 quarantined rows and the total', async () => {
    const dates = weekdays(1000);
    const lines = dates.map((d, i) => (i % 10 === 3 ? `${d},x,1,1,1,1,1` : row(d, 100 + (i % 7))));
    const res = await post('CAP', csv(lines));
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const r = res.json<{ imported: number; quarantined: unknown[]; quarantinedTotal: number }>();
    expect(r.imported).toBe(900);
    expect(r.quarantinedTotal).toBe(100);
    expect(r.quarantined).toHaveLength(100);
    const more = weekdays(1300, '2010-01-04').map((d, i) =>
      i % 5 === 0 ? `${d},x,1,1,1,1,1` : row(d, 100),
    );
    const big = (await post('CAP2', csv(more))).json<{
      quarantined: unknown[];
      quarantinedTotal: number;
    }>();
    expect(big.quarantinedTotal).toBe(260);
    expect(big.quarantined).toHaveLength(100);
  });

  it('refuses a file of mostly junk whole, saying why, and writes nothing', async () => {
    const lines = [row('2020-01-02', 10), ...Array.from({ length: 2000 }, (_, i) => `junk ${i}`)];
    const res = await post('JUNK', csv(lines));
    expect(res.statusCode, res.body.slice(0, 300)).toBe(422);
    const err = res.json<{ error: { code: string; message: string } }>().error;
    expect(err.code).toBe('IMPORT_REFUSED');
    expect(err.message).toMatch(/2000 of 2001 data rows/);
    expect(err.message).toMatch(/nothing was written/);
    expect(await symbols()).not.toContain('JUNK');
    expect(await quarantine('JUNK')).toHaveLength(0);
  });

  it('refuses a file past the row limit (STOCKOPS_IMPORT_MAX_ROWS) and writes nothing', async () => {
    const lines = weekdays(5001).map((d) => row(d, 50));
    const res = await post('ROWS', csv(lines));
    expect(res.statusCode, res.body.slice(0, 300)).toBe(422);
    expect(res.json()).toMatchObject({ error: { code: 'IMPORT_REFUSED' } });
    expect(res.json<{ error: { message: string } }>().error.message).toMatch(/5000 data rows/);
    expect(await symbols()).not.toContain('ROWS');
  });

  it('reads a 64 MB body as a stream: the answer comes without holding the body in memory', async () => {
    const url = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(url);
    const line = `2020-01-02,1,1,1,1,1,1,junk-junk-junk-junk-junk-junk-junk-junk\n`;
    const total = 64 * 1024 * 1024 - 1024;
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/import?ticker=HUGE',
          headers: { 'content-type': 'text/csv', 'content-length': String(total) },
        },
        (r) => {
          let body = '';
          r.on('data', (d: Buffer) => (body += d.toString()));
          r.on('end', () => {
            resolve({ status: r.statusCode ?? 0, body });
          });
        },
      );
      req.on('error', reject);
      const header = 'Date,Open,High,Low,Close,Adj Close,Volume\n';
      let sent = 0;
      const chunk = Buffer.from(line.repeat(Math.floor(65536 / line.length)));
      const pump = () => {
        if (sent === 0) {
          req.write(header);
          sent += header.length;
        }
        while (sent < total) {
          const part = chunk.subarray(0, Math.min(chunk.length, total - sent));
          sent += part.length;
          if (!req.write(part)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      // The server may answer (and close) before the whole body is sent; that is the point.
      req.on('close', () => undefined);
      pump();
    }).catch((e: unknown) => ({ status: -1, body: String(e) }));
    clearInterval(sampler);
    expect(res.status, res.body.slice(0, 300)).toBe(422);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'IMPORT_REFUSED' } });
    // The answer is bounded whatever the file (the 12 MB of junk answered 11 MB), and nothing is stored:
    // no ticker, no quarantine rows (the file left 206,277 of them).
    expect(Buffer.byteLength(res.body)).toBeLessThan(4096);
    expect(await symbols()).not.toContain('HUGE');
    const quarantined = await h.app.inject({ url: '/api/quarantine?ticker=HUGE' });
    expect(quarantined.json()).toEqual([]);
    // A buffered body (64 MB) plus its text and line copies grows resident memory by hundreds of MB.
    expect((peak - before) / 2 ** 20).toBeLessThan(160);
  });
});

describe('POST /api/import: splits in a file whose closes are not split-adjusted', () => {
  for (const [num, den] of [
    [4, 1],
    [3, 2],
  ] as const) {
    it(`serves split-consistent history for a ${num}:${den} split and reports it`, async () => {
      const ticker = `SPL${num}${den}`;
      const dates = weekdays(300, '2019-01-02');
      const lines = dates.map((d, i) => {
        // Closes jump down by the ratio at bar 200; the adjusted close (in today's shares) is continuous.
        const adj = 50 + Math.sin(i / 9);
        const close = i < 200 ? (adj * num) / den : adj;
        return row(d, Number(close.toFixed(4)), Number(adj.toFixed(4)));
      });
      const res = await post(ticker, csv(lines));
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      const r = res.json<{ quality: { check: string; status: string; examples: string[] }[] }>();
      const splits = r.quality.find((q) => q.check === 'splits');
      expect(splits?.status).toBe('warn');
      expect(splits?.examples.join(' ')).toContain(dates[200] ?? '');
      expect(splits?.examples.join(' ')).toContain(`${num}:${den}`);
      const bars = (await h.app.inject({ url: `/api/tickers/${ticker}/history` })).json<{
        bars: { close: number }[];
      }>().bars;
      let worst = 0;
      for (let i = 1; i < bars.length; i++) {
        worst = Math.max(
          worst,
          Math.abs(Math.log((bars[i]?.close ?? 1) / (bars[i - 1]?.close ?? 1))),
        );
      }
      expect(worst).toBeLessThan(0.1);
    });
  }
});
