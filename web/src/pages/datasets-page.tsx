// Datasets: the tickers with market, range, rows, last ETL and quality; add tickers and follow their ETL; upload a CSV; quarantine and history.
import {
  SYMBOL_INPUT_PATTERN,
  type ApiBar as Bar,
  type EtlRun,
  type ImportResult,
  type TickerDetail,
} from '@stockops/api';
import { useQueries, useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ApiKeyField,
  ErrorBanner,
  PageShell,
  PriceChart,
  queryErrors,
  RangeButtons,
  StateBadge,
} from '../components';
import { navigate, useImportCsv, useLocation, useRefreshOnRunEnd, useStartEtl } from '../hooks';
import {
  cleanBars,
  describeError,
  formatCount,
  formatDay,
  formatPrice,
  formatTime,
  isEnded,
  queries,
  type RangeKey,
} from '../lib';

const ETL_STEPS = ['extract', 'validate', 'load_raw', 'clean', 'quality', 'snapshot'] as const;
const SYMBOL = new RegExp(SYMBOL_INPUT_PATTERN);
const NO_BARS: readonly Bar[] = [];

/** "AAPL, 2330.tw msft" -> the symbols, and the first one that is not a symbol. */
export function parseTickers(text: string): { symbols: string[]; bad: string | undefined } {
  const parts = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return {
    symbols: [...new Set(parts.map((s) => s.toUpperCase()))],
    bad: parts.find((s) => !SYMBOL.test(s)),
  };
}

type TickerError = Pick<
  NonNullable<EtlRun['results'][number]['error']>,
  'code' | 'kind' | 'message'
>;

/** What went wrong for one ticker, said so a person knows what to do: by the source's failure kind. */
function tickerErrorText(t: TFunction, e: TickerError): string {
  if (e.code === 'SOURCE_ERROR' && e.kind !== undefined) {
    return t(`datasets.sourceErrors.${e.kind}`, { defaultValue: e.message });
  }
  return e.message;
}

function QualityBadges({ checks }: { checks: NonNullable<TickerDetail['lastEtl']>['quality'] }) {
  const { t } = useTranslation();
  if (checks.length === 0) {
    return <span className="muted">—</span>;
  }
  return (
    <span className="quality">
      {checks.map((c) => (
        <span key={c.check} className={`badge quality-${c.status}`} title={c.examples.join('\n')}>
          {t(`datasets.checks.${c.check}`)} {t(`datasets.checkStatus.${c.status}`)}
          {c.count > 0 ? ` (${formatCount(c.count)})` : ''}
        </span>
      ))}
    </span>
  );
}

function TickerTable({
  details,
  selected,
  onSelect,
}: {
  details: TickerDetail[];
  selected: string | undefined;
  onSelect: (s: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap" tabIndex={0}>
      <table className="data-table" data-testid="datasets-table">
        <thead>
          <tr>
            <th scope="col">{t('common.ticker')}</th>
            <th scope="col">{t('datasets.exchange')}</th>
            <th scope="col">{t('datasets.currency')}</th>
            <th scope="col">{t('datasets.first')}</th>
            <th scope="col">{t('datasets.last')}</th>
            <th scope="col">{t('datasets.rows')}</th>
            <th scope="col">{t('datasets.lastClose')}</th>
            <th scope="col">{t('datasets.lastEtl')}</th>
            <th scope="col">{t('datasets.quality')}</th>
            <th scope="col">{t('datasets.quarantined')}</th>
          </tr>
        </thead>
        <tbody>
          {details.map((d) => (
            <tr key={d.symbol} className={d.symbol === selected ? 'selected' : undefined}>
              <th scope="row">
                <button
                  type="button"
                  className="link-button"
                  aria-pressed={d.symbol === selected}
                  onClick={() => {
                    onSelect(d.symbol);
                  }}
                >
                  {d.symbol}
                </button>
              </th>
              <td>{d.exchange}</td>
              <td>{d.currency}</td>
              <td>{d.firstDate}</td>
              <td>{d.lastDate}</td>
              <td>{formatCount(d.rows)}</td>
              <td>{d.lastClose === null ? '—' : formatPrice(d.lastClose)}</td>
              <td>
                {d.lastEtl === null ? (
                  <span className="muted">{t('datasets.noEtl')}</span>
                ) : (
                  <span title={d.lastEtl.error ? tickerErrorText(t, d.lastEtl.error) : undefined}>
                    <span className={`badge etl-${d.lastEtl.status}`}>
                      {t(`datasets.tickerStatus.${d.lastEtl.status}`)}
                    </span>{' '}
                    <span className="muted small">
                      {formatTime(d.lastEtl.endedAt ?? d.lastEtl.startedAt)}
                    </span>
                  </span>
                )}
              </td>
              <td>
                <QualityBadges checks={d.lastEtl?.quality ?? []} />
              </td>
              <td>{formatCount(d.quarantined)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Where a step stands: done (some tickers may have failed in it), not reached yet, or never run. */
function stepStatus(
  done: EtlRun['steps'][number] | undefined,
  ended: boolean,
): 'warn' | 'done' | 'skipped' | 'pending' {
  if (done) {
    return (done.counts.failed ?? 0) > 0 ? 'warn' : 'done';
  }
  return ended ? 'skipped' : 'pending';
}

/** One ETL flow run followed live: the flow run's state, each step as it ends, each ticker's counts. */
function EtlProgress({ flowRunId }: { flowRunId: string }) {
  const { t } = useTranslation();
  const flowRun = useQuery(queries.flowRun(flowRunId));
  const etlRuns = useQuery(queries.etlRunsOf(flowRunId));
  useRefreshOnRunEnd(flowRun.data ? [flowRun.data] : undefined);
  const run = etlRuns.data?.[0];
  const state = flowRun.data?.state;
  const ended = state !== undefined && isEnded(state);
  return (
    <section className="etl-progress" aria-live="polite" data-testid="etl-progress">
      <p>
        {t('datasets.etlRun', { id: flowRunId.slice(0, 8) })}{' '}
        {state !== undefined && <StateBadge state={state} />}
        {run && (
          <>
            {' '}
            <span className={`badge etl-${run.status}`}>
              {t(`datasets.etlStatus.${run.status}`)}
            </span>
          </>
        )}
      </p>
      <ol className="etl-steps">
        {ETL_STEPS.map((step) => {
          const done = run?.steps.find((s) => s.step === step);
          const status = stepStatus(done, ended);
          return (
            <li key={step} className={`etl-step step-${status}`}>
              <span className="step-name">{t(`datasets.steps.${step}`)}</span>
              <span className="muted small">
                {done
                  ? t('datasets.stepDone', { ms: formatCount(done.ms) })
                  : t(`datasets.stepStatus.${status}`)}
              </span>
            </li>
          );
        })}
      </ol>
      {run && run.results.length > 0 && (
        <div className="table-wrap" tabIndex={0}>
          <table className="data-table" data-testid="etl-results">
            <thead>
              <tr>
                <th scope="col">{t('common.ticker')}</th>
                <th scope="col">{t('datasets.outcome')}</th>
                <th scope="col">{t('datasets.fetched')}</th>
                <th scope="col">{t('datasets.new')}</th>
                <th scope="col">{t('datasets.changed')}</th>
                <th scope="col">{t('datasets.quarantined')}</th>
              </tr>
            </thead>
            <tbody>
              {run.results.map((r) => (
                <tr key={r.symbol}>
                  <th scope="row">{r.symbol}</th>
                  <td className="wrap">
                    {r.error ? (
                      <span className="form-error">
                        {t('datasets.failedAt', { step: t(`datasets.steps.${r.error.step}`) })}{' '}
                        {tickerErrorText(t, r.error)}
                      </span>
                    ) : (
                      <span className="form-ok">{t('datasets.tickerStatus.ok')}</span>
                    )}
                  </td>
                  <td>{formatCount(r.fetched)}</td>
                  <td>{formatCount(r.inserted)}</td>
                  <td>{formatCount(r.updated)}</td>
                  <td>{formatCount(r.quarantined)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {flowRun.data?.error && !run && <p className="form-error">{flowRun.data.error.message}</p>}
    </section>
  );
}

function AddTickers() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [full, setFull] = useState(false);
  const start = useStartEtl();
  const parsed = parseTickers(text);
  const invalid = parsed.bad !== undefined;
  return (
    <section className="panel mlops-panel" aria-labelledby="add-title">
      <div className="panel-head">
        <h2 id="add-title">{t('datasets.addTitle')}</h2>
        <span className="hint">{t('datasets.addHint')}</span>
      </div>
      <form
        className="promote-form"
        aria-labelledby="add-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (!invalid) {
            start.mutate({
              ...(parsed.symbols.length > 0 ? { tickers: parsed.symbols } : {}),
              ...(full ? { full: true } : {}),
            });
          }
        }}
      >
        <label className="grow" htmlFor="etl-tickers">
          <span>{t('datasets.tickersLabel')}</span>
          <input
            id="etl-tickers"
            value={text}
            placeholder={t('datasets.tickersPlaceholder')}
            autoCapitalize="characters"
            aria-invalid={invalid}
            aria-describedby="etl-tickers-help"
            onChange={(e) => {
              setText(e.target.value);
              start.reset();
            }}
          />
          <span id="etl-tickers-help" className={invalid ? 'form-error' : 'field-help'}>
            {invalid ? t('datasets.badSymbol', { symbol: parsed.bad }) : t('datasets.tickersHelp')}
          </span>
        </label>
        <label className="check-field" htmlFor="etl-full">
          <input
            id="etl-full"
            type="checkbox"
            checked={full}
            onChange={(e) => {
              setFull(e.target.checked);
            }}
          />
          <span>{t('datasets.full')}</span>
        </label>
        <ApiKeyField />
        <button className="primary" type="submit" disabled={start.isPending || invalid}>
          {parsed.symbols.length > 0
            ? t('datasets.fetchN', { count: parsed.symbols.length })
            : t('datasets.fetchAll')}
        </button>
        {start.isError && (
          <span className="form-error" role="status">
            {describeError(start.error).message}
          </span>
        )}
      </form>
      {start.data && <EtlProgress key={start.data.id} flowRunId={start.data.id} />}
    </section>
  );
}

function ImportSummary({ result }: { result: ImportResult }) {
  const { t } = useTranslation();
  return (
    <div role="status" className="import-summary" data-testid="import-summary">
      <p className="form-ok">
        {t('datasets.imported', {
          ticker: result.ticker,
          imported: formatCount(result.imported),
          duplicates: formatCount(result.duplicates),
          quarantined: formatCount(result.quarantined.length),
        })}
      </p>
      {result.quarantined.length > 0 && (
        <ul className="small">
          {result.quarantined.slice(0, 20).map((q) => (
            <li key={q.line}>{t('datasets.lineReason', { line: q.line, reason: q.reason })}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function CsvUpload({ defaultTicker }: { defaultTicker: string | undefined }) {
  const { t } = useTranslation();
  const [ticker, setTicker] = useState(defaultTicker ?? '');
  const [file, setFile] = useState<File | undefined>(undefined);
  const upload = useImportCsv();
  const invalid = ticker !== '' && !SYMBOL.test(ticker);
  return (
    <section className="panel mlops-panel" aria-labelledby="csv-title">
      <div className="panel-head">
        <h2 id="csv-title">{t('datasets.csvTitle')}</h2>
        <span className="hint">{t('datasets.csvHint')}</span>
      </div>
      <form
        className="promote-form"
        aria-labelledby="csv-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (file && ticker !== '' && !invalid) {
            void file.text().then((text) => {
              upload.mutate({ ticker, text });
            });
          }
        }}
      >
        <label htmlFor="csv-ticker">
          <span>{t('common.ticker')}</span>
          <input
            id="csv-ticker"
            value={ticker}
            required
            autoCapitalize="characters"
            aria-invalid={invalid}
            onChange={(e) => {
              setTicker(e.target.value.trim());
              upload.reset();
            }}
          />
        </label>
        <label className="grow" htmlFor="csv-file">
          <span>{t('datasets.csvFile')}</span>
          <input
            id="csv-file"
            type="file"
            accept=".csv,text/csv"
            required
            onChange={(e) => {
              setFile(e.target.files?.[0]);
              upload.reset();
            }}
          />
        </label>
        <ApiKeyField />
        <button
          className="primary"
          type="submit"
          disabled={upload.isPending || !file || ticker === '' || invalid}
        >
          {t('datasets.upload')}
        </button>
        {upload.isError && (
          <span className="form-error" role="status">
            {describeError(upload.error).message}
          </span>
        )}
      </form>
      {upload.data && <ImportSummary result={upload.data} />}
    </section>
  );
}

function TickerDetailPanel({ symbol }: { symbol: string }) {
  const { t } = useTranslation();
  const [range, setRange] = useState<RangeKey>('1Y');
  const history = useQuery(queries.history(symbol));
  const quarantine = useQuery(queries.quarantine(symbol));
  const data = history.data;
  const bars = useMemo(() => (data ? cleanBars(data.bars) : NO_BARS), [data]);
  const rows = quarantine.data ?? [];
  return (
    <section className="panel mlops-panel" aria-labelledby="detail-title">
      <div className="panel-head">
        <h2 id="detail-title">{t('datasets.historyOf', { symbol })}</h2>
        <RangeButtons value={range} onChange={setRange} />
      </div>
      <div className="chart-frame small-chart">
        <PriceChart bars={bars} forecast={undefined} range={range} onHover={() => undefined} />
        {history.isPending && (
          <div className="chart-overlay" role="status">
            {t('forecast.loadingPrices')}
          </div>
        )}
      </div>
      {bars.length > 0 && (
        <p className="muted small">
          {t('datasets.range', {
            from: formatDay(bars[0]?.date ?? ''),
            to: formatDay(bars.at(-1)?.date ?? ''),
            count: bars.length,
            rows: formatCount(bars.length),
          })}
        </p>
      )}
      <h3 className="subheading">{t('datasets.quarantineOf', { symbol })}</h3>
      {rows.length === 0 ? (
        <p className="muted">{t('datasets.noQuarantine')}</p>
      ) : (
        <div className="table-wrap" tabIndex={0}>
          <table className="data-table" data-testid="quarantine-table">
            <thead>
              <tr>
                <th scope="col">{t('datasets.line')}</th>
                <th scope="col">{t('datasets.reason')}</th>
                <th scope="col">{t('datasets.raw')}</th>
                <th scope="col">{t('datasets.source')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((q) => (
                <tr key={q.id}>
                  <td>{q.line}</td>
                  <td className="wrap">{q.reason}</td>
                  <td className="mono small wrap">{q.raw}</td>
                  <td className="small">{q.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function DatasetsPage() {
  const { t } = useTranslation();
  const { search } = useLocation();
  const requested = new URLSearchParams(search).get('ticker') ?? undefined;
  const tickers = useQuery(queries.tickers());
  const list = tickers.data ?? [];
  const details = useQueries({ queries: list.map((x) => queries.ticker(x.symbol)) });
  const loaded = details.flatMap((q) => (q.data ? [q.data] : []));
  const selected = list.some((x) => x.symbol === requested) ? requested : list[0]?.symbol;
  const messages = queryErrors([
    [t('common.tickers'), tickers],
    [t('datasets.details'), { error: details.find((q) => q.isError)?.error }],
  ]);
  const select = (symbol: string) => {
    navigate(`/datasets?ticker=${encodeURIComponent(symbol)}`, { replace: true });
  };
  return (
    <PageShell title={t('nav.datasets')}>
      <ErrorBanner messages={messages} />
      <section className="panel mlops-panel" aria-labelledby="tickers-title">
        <div className="panel-head">
          <h2 id="tickers-title">
            {t('datasets.title')}{' '}
            <span className="muted">{t('datasets.count', { count: list.length })}</span>
          </h2>
          <span className="hint">{t('datasets.pickHint')}</span>
        </div>
        {tickers.isSuccess && list.length === 0 ? (
          <p className="empty">{t('datasets.none')}</p>
        ) : (
          <TickerTable details={loaded} selected={selected} onSelect={select} />
        )}
      </section>
      <AddTickers />
      <CsvUpload key={selected ?? ''} defaultTicker={selected} />
      {selected !== undefined && <TickerDetailPanel key={selected} symbol={selected} />}
    </PageShell>
  );
}
