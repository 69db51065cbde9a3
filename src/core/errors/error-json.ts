// Errors as plain data and back, so a domain error crosses a worker-thread boundary with its class and code.
import * as domain from './domain-errors.js';
import type { StockopsError } from './domain-errors.js';

/** An error as plain data, e.g. to cross a worker-thread boundary; `errorFromJSON` gives back its class. */
export interface ErrorJson {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  details?: Record<string, unknown>;
  /** SourceError's failure kind. */
  kind?: string;
}

/**
 * Every domain error class by name, so an error revived from JSON keeps its class (and `instanceof`). Read
 * off the module's exports, so a class added there crosses threads without being listed again.
 */
const DOMAIN_ERRORS: ReadonlyMap<string, { prototype: StockopsError }> = new Map(
  Object.values(domain)
    .filter(
      (v): v is typeof domain.StockopsError =>
        typeof v === 'function' &&
        (v === domain.StockopsError || v.prototype instanceof domain.StockopsError),
    )
    .map((c) => [c.name, c]),
);

const BUILT_IN_ERRORS: Readonly<Record<string, new (message: string) => Error>> = {
  Error,
  TypeError,
  RangeError,
  ReferenceError,
  SyntaxError,
  EvalError,
  URIError,
};

export function errorToJSON(e: unknown): ErrorJson {
  if (!(e instanceof Error)) {
    return { name: 'Error', message: String(e) };
  }
  const extra = e as Error & { code?: unknown; details?: unknown; kind?: unknown };
  return {
    name: e.name,
    message: e.message,
    ...(e.stack !== undefined ? { stack: e.stack } : {}),
    ...(typeof extra.code === 'string' ? { code: extra.code } : {}),
    ...(extra.details !== null && typeof extra.details === 'object'
      ? { details: extra.details as Record<string, unknown> }
      : {}),
    ...(typeof extra.kind === 'string' ? { kind: extra.kind } : {}),
  };
}

/**
 * Rebuilds an error from `errorToJSON`: a domain error gets its own class back (same name, code, details
 * and message) without calling its constructor, whose parameters differ per class.
 */
export function errorFromJSON(j: ErrorJson): Error {
  const domainClass = DOMAIN_ERRORS.get(j.name);
  const builtIn = Object.hasOwn(BUILT_IN_ERRORS, j.name) ? BUILT_IN_ERRORS[j.name] : undefined;
  const e = new (builtIn ?? Error)(j.message);
  if (domainClass) {
    Object.setPrototypeOf(e, domainClass.prototype);
  }
  const own = (key: string, value: unknown) => {
    Object.defineProperty(e, key, { value, writable: true, enumerable: true, configurable: true });
  };
  if (domainClass || !builtIn) {
    own('name', j.name);
  }
  if (j.code !== undefined) {
    own('code', j.code);
  }
  if (domainClass) {
    own('details', j.details);
  }
  if (j.kind !== undefined) {
    own('kind', j.kind);
  }
  if (j.stack !== undefined) {
    Object.defineProperty(e, 'stack', { value: j.stack, writable: true, configurable: true });
  }
  return e;
}
