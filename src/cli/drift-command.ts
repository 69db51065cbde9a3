// `stockops drift REF.csv CUR.csv`: drift of every reference column by Evidently's rules (core/monitoring), as a table or one JSON object.
// The CSV files are read as pandas' read_csv would type them, so a column is tested as Evidently
// would test the same file: numbers (integers included) numerical, True/False booleans and anything
// else categorical; empty cells and pandas' NA spellings are missing.
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { parse } from 'csv-parse/sync';
import {
  InvalidCsvError,
  InvalidInputError,
  datasetDrift,
  datasetDriftToJSON,
  type ColumnKind,
  type ColumnValues,
  type DatasetDriftJson,
  type JsonNumber,
} from '../core/index.js';
import type { Emit } from './flow-commands.js';
import { parseNameList } from './options.js';

// pandas' default na_values (pandas._libs.parsers.STR_NA_VALUES) and the empty cell.
const NA = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);
const TRUE = new Set(['True', 'TRUE', 'true']);
const FALSE = new Set(['False', 'FALSE', 'false']);
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)inf(inity)?$/i;

/** A cell as pandas' float parser reads it, or undefined when it is not a number. */
function parseNumber(cell: string): number | undefined {
  const s = cell.trim();
  if (DECIMAL.test(s)) {
    return Number(s);
  }
  const inf = INFINITY.exec(s);
  return inf ? (inf[1] === '-' ? -Infinity : Infinity) : undefined;
}

/** One column's cells typed as read_csv would: numbers, booleans or strings (null = missing). */
function typeColumn(cells: string[]): ColumnValues {
  const present = cells.filter((c) => !NA.has(c));
  if (present.every((c) => parseNumber(c) !== undefined)) {
    return Float64Array.from(cells, (c) => (NA.has(c) ? NaN : (parseNumber(c) as number)));
  }
  if (present.every((c) => TRUE.has(c) || FALSE.has(c))) {
    return cells.map((c) => (NA.has(c) ? null : TRUE.has(c)));
  }
  return cells.map((c) => (NA.has(c) ? null : c));
}

/** A CSV file with a header row as typed columns, in header order. */
export async function readCsvColumns(file: string): Promise<Record<string, ColumnValues>> {
  let rows: string[][];
  try {
    rows = parse(await readFile(file, 'utf8'), { bom: true, skip_empty_lines: true });
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'ENOENT') {
      throw new InvalidInputError(file, 'no such file');
    }
    throw new InvalidCsvError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const [header, ...body] = rows;
  if (header === undefined || header.length === 0) {
    throw new InvalidCsvError(
      `${file}: expected a header row of column names, found an empty file`,
    );
  }
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) {
      throw new InvalidCsvError(`${file}: column "${name}" appears twice in the header`);
    }
    seen.add(name);
  }
  const out: Record<string, ColumnValues> = {};
  header.forEach((name, i) => {
    out[name] = typeColumn(body.map((r) => r[i] ?? ''));
  });
  return out;
}

const fmt = (x: JsonNumber | null | undefined): string =>
  x === null || x === undefined
    ? '-'
    : typeof x === 'string'
      ? x
      : x === 0
        ? '0'
        : x.toPrecision(4);

/** The drift as an aligned table, one row per column, and the data set's verdict. */
export function driftTable(d: DatasetDriftJson): string {
  const withPsi = Object.values(d.columns).some((c) => c.psi !== undefined);
  const head = [
    'column',
    'kind',
    'test',
    'statistic',
    'p-value',
    'threshold',
    'drift',
    'ref',
    'cur',
  ];
  if (withPsi) {
    head.push('psi', 'psi drift');
  }
  const rows = Object.entries(d.columns).map(([name, c]) => {
    const row = [
      name,
      c.kind,
      c.test,
      fmt(c.statistic),
      fmt(c.pValue),
      String(c.threshold),
      c.drift ? 'DRIFT' : 'no',
      String(c.nRef),
      String(c.nCur),
    ];
    if (withPsi) {
      row.push(fmt(c.psi?.statistic), c.psi ? (c.psi.drift ? 'DRIFT' : 'no') : '-');
    }
    return row;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const s = d.dataset;
  return [
    line(head),
    ...rows.map(line),
    '',
    `data set: ${s.drift ? 'DRIFT' : 'no drift'}: ${s.nDrifted} of ${s.nColumns} columns drifted (share ${(s.share * 100).toFixed(1)}%, threshold ${(s.threshold * 100).toFixed(1)}%)`,
  ].join('\n');
}

interface DriftOpts {
  psi?: boolean;
  cat?: string[];
  json?: boolean;
}

/** Reads both files and runs the drift engine; the current file must hold every reference column. */
export async function driftOfFiles(
  refFile: string,
  curFile: string,
  opts: { psi?: boolean; cat?: string[] },
): Promise<DatasetDriftJson> {
  const [ref, cur] = await Promise.all([readCsvColumns(refFile), readCsvColumns(curFile)]);
  const columns: Record<string, { kind: ColumnKind }> = {};
  for (const name of opts.cat ?? []) {
    if (!(name in ref)) {
      throw new InvalidInputError(
        '--cat',
        `no column "${name}" in ${refFile}; its columns are ${Object.keys(ref).join(', ')}`,
      );
    }
    columns[name] = { kind: 'categorical' };
  }
  for (const name of Object.keys(ref)) {
    if (!(name in cur)) {
      throw new InvalidInputError(curFile, `has no column "${name}", which ${refFile} has`);
    }
  }
  return datasetDriftToJSON(datasetDrift(ref, cur, { columns, psi: opts.psi === true }));
}

export function registerDriftCommand(program: Command, emit: Emit): void {
  program
    .command('drift')
    .description(
      "Data drift of every column of REF.csv in CUR.csv by Evidently's DataDriftPreset rules (KS, Wasserstein, chi-square, Z or Jensen-Shannon per column; the data set drifts when half the columns do).",
    )
    .argument('<ref>', 'reference CSV file (header row, comma-separated)')
    .argument('<cur>', 'current CSV file with the same columns')
    .option('--psi', 'also report the population stability index of each column')
    .addOption(
      new Option('--cat <columns>', 'comma-separated columns to test as categories').argParser(
        parseNameList,
      ),
    )
    .option('--json', 'print one JSON object')
    .action(async (refFile: string, curFile: string, opts: DriftOpts) => {
      await emit(
        opts,
        () =>
          driftOfFiles(refFile, curFile, {
            ...(opts.psi !== undefined ? { psi: opts.psi } : {}),
            ...(opts.cat !== undefined ? { cat: opts.cat } : {}),
          }),
        driftTable,
      );
    });
}
