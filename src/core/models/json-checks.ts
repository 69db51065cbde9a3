// Checks of a saved model's untrusted JSON: a failure names the field, what it expected and what it found.
import { InvalidModelError } from '../errors/index.js';
import type { ImputerState } from '../features/index.js';
import { MODEL_KINDS, type ModelJson, type ModelKind } from './model.js';

/** What a value is, in a few words, for "found ..." in a message. */
export function describeFound(v: unknown): string {
  if (v === undefined) {
    return 'nothing';
  }
  if (Array.isArray(v)) {
    return `an array of ${v.length}`;
  }
  if (typeof v === 'string') {
    return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  }
  if (v === null) {
    return 'null';
  }
  if (typeof v === 'number' || typeof v === 'boolean') {
    return String(v);
  }
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

export function invalid(path: string, expected: string, found: unknown): never {
  throw new InvalidModelError(path, expected, describeFound(found));
}

export function objectAt(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    invalid(path, 'an object', v);
  }
  return v as Record<string, unknown>;
}

/** A finite number (JSON has no NaN or Infinity; objects handed over in memory might). */
export function finiteAt(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    invalid(path, 'a finite number', v);
  }
  return v;
}

export function integerAt(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    invalid(path, `an integer from ${min} to ${max}`, v);
  }
  return v;
}

export function booleanAt(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') {
    invalid(path, 'true or false', v);
  }
  return v;
}

export function arrayAt(v: unknown, path: string, length: number | null): unknown[] {
  if (!Array.isArray(v)) {
    invalid(path, length === null ? 'an array' : `an array of ${length}`, v);
  }
  if (length !== null && v.length !== length) {
    invalid(path, `an array of ${length}`, v);
  }
  return v as unknown[];
}

/** An array of finite numbers, of `length` values when given. */
export function finiteArrayAt(v: unknown, path: string, length: number | null = null): number[] {
  const a = arrayAt(v, path, length);
  a.forEach((x, i) => finiteAt(x, `${path}[${i}]`));
  return a as number[];
}

export function stringArrayAt(v: unknown, path: string): string[] {
  const a = arrayAt(v, path, null);
  a.forEach((x, i) => {
    if (typeof x !== 'string') {
      invalid(`${path}[${i}]`, 'a string', x);
    }
  });
  return a as string[];
}

/** Optional number fields: absent (older files lack some) or finite. */
export function optionalFinite(o: Record<string, unknown>, path: string, keys: readonly string[]) {
  for (const k of keys) {
    if (o[k] !== undefined) {
      finiteAt(o[k], `${path}.${k}`);
    }
  }
}

/**
 * The header every saved model shares, for a model of `kind`: format and version, kind, feature names,
 * horizon, feature set, and `params` and `state` objects. Returns the JSON, now known to be a ModelJson.
 */
export function checkModelJson(json: unknown, kind: ModelKind | null): ModelJson {
  const o = objectAt(json, '(model)');
  if (o.format !== 'stockops.model') {
    invalid('format', '"stockops.model"', o.format);
  }
  if (o.formatVersion !== 1 && o.formatVersion !== 2) {
    invalid('formatVersion', '1 or 2', o.formatVersion);
  }
  if (typeof o.kind !== 'string' || !(MODEL_KINDS as readonly string[]).includes(o.kind)) {
    invalid('kind', `one of ${MODEL_KINDS.join(', ')}`, o.kind);
  }
  if (kind !== null && o.kind !== kind) {
    invalid('kind', JSON.stringify(kind), o.kind);
  }
  stringArrayAt(o.featureNames, 'featureNames');
  integerAt(o.horizon, 'horizon', 1, Number.MAX_SAFE_INTEGER);
  if (o.featureSet !== undefined && typeof o.featureSet !== 'string') {
    invalid('featureSet', 'an id@version string', o.featureSet);
  }
  objectAt(o.params, 'params');
  objectAt(o.state, 'state');
  return json as ModelJson;
}

/**
 * A fitted imputer over `nFeatures` input columns: kept indices in increasing order, a finite fill per
 * kept column, and the names it dropped and imputed.
 */
export function checkImputer(v: unknown, path: string, nFeatures: number): ImputerState {
  const o = objectAt(v, path);
  const kept = finiteArrayAt(o.kept, `${path}.kept`);
  kept.forEach((k, i) => {
    integerAt(k, `${path}.kept[${i}]`, i === 0 ? 0 : (kept[i - 1] ?? 0) + 1, nFeatures - 1);
  });
  finiteArrayAt(o.fill, `${path}.fill`, kept.length);
  stringArrayAt(o.dropped, `${path}.dropped`);
  stringArrayAt(o.imputed, `${path}.imputed`);
  return v as ImputerState;
}
