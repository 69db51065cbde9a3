// Validation at the edge from the contract's schemas: JSON bodies exactly as sent, path and query strings with their
// documented coercion, and no control characters anywhere in the URL or a NUL anywhere in a body.
import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { isValidIsoDate, InvalidInputError } from '../core/index.js';

// The contract's dates carry `format: 'date'`; the range check proper is the service's (dateProblem).
if (!FormatRegistry.Has('date')) {
  FormatRegistry.Set('date', isValidIsoDate);
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Whether a schema (or every member of its union) takes a number, so that a numeric query string may become one. */
function takesNumber(s: TSchema): boolean {
  const t = (s as { type?: unknown }).type;
  if (t === 'integer' || t === 'number') {
    return true;
  }
  const members = (s as { anyOf?: TSchema[] }).anyOf;
  return (
    Array.isArray(members) &&
    members.length > 0 &&
    members.every((m) => typeof (m as { const?: unknown }).const === 'number' || takesNumber(m))
  );
}

/**
 * Path and query values arrive as strings: a numeric string becomes a number where the schema wants one, and
 * `true`/`false` a boolean. Nothing else is converted, so `1e3` is 1000 (and then fails an integer's bounds on its
 * own terms) and `abc` stays a string the schema refuses.
 */
function coerceScalars(schema: TSchema, value: unknown): unknown {
  const props = (schema as { properties?: Record<string, TSchema> }).properties;
  if (!props || typeof value !== 'object' || value === null || Array.isArray(value)) {
    return value;
  }
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [k, v] of Object.entries(out)) {
    const s = props[k];
    if (s === undefined || typeof v !== 'string') {
      continue;
    }
    if (takesNumber(s) && NUMERIC.test(v)) {
      out[k] = Number(v);
    } else if ((s as { type?: unknown }).type === 'boolean' && (v === 'true' || v === 'false')) {
      out[k] = v === 'true';
    }
  }
  return out;
}

interface ValidationIssue {
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

/**
 * One compiled TypeBox check per route part. Bodies are checked as sent (JSON has its own types: `true` or `"1"`
 * is not the number 1); path and query keep the coercion the contract documents. Errors come back in Ajv's shape
 * (instancePath, message), which the error handler turns into the envelope with the field at fault.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  const coerce = httpPart !== 'body';
  return (data: unknown) => {
    const value = coerce ? coerceScalars(schema, data) : data;
    if (check.Check(value)) {
      return { value };
    }
    const issues: ValidationIssue[] = [];
    const seen = new Set<string>();
    for (const e of check.Errors(value)) {
      // A union reports once per member; the first message per field is the useful one.
      if (seen.has(e.path)) {
        continue;
      }
      seen.add(e.path);
      issues.push({ instancePath: e.path, message: e.message.toLowerCase(), params: {} });
      if (issues.length >= 5) {
        break;
      }
    }
    return { error: issues as unknown as Error };
  };
};

/** Percent-encoded C0 controls and DEL (`%00`..`%1F`, `%7F`), or a raw one, anywhere in a URL. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const URL_CONTROL = /%(?:[01][0-9A-Fa-f]|7[Ff])|[\u0000-\u001F\u007F]/;

/** Where a NUL byte sits in a parsed JSON body (keys included), as a dotted path; null when there is none. */
function nulPath(v: unknown, path: string, depth: number): string | null {
  if (typeof v === 'string') {
    return v.includes('\u0000') ? path : null;
  }
  if (depth > 64 || typeof v !== 'object' || v === null) {
    return null;
  }
  for (const [k, x] of Object.entries(v)) {
    const here = path === '' ? k : `${path}.${k}`;
    if (k.includes('\u0000')) {
      return here;
    }
    const found = nulPath(x, here, depth + 1);
    if (found !== null) {
      return found;
    }
  }
  return null;
}

/**
 * Refuses control characters before anything reads the request: in the URL (path or query, encoded or not) at
 * onRequest, and a NUL in any string of a JSON body before validation. PostgreSQL text cannot hold NUL, so without
 * this a NUL reached the database as a 500, on some routes after a change was already made.
 */
export function refuseControlCharacters(app: FastifyInstance): void {
  app.addHook('onRequest', (req, _reply, done) => {
    done(
      URL_CONTROL.test(req.url)
        ? new InvalidInputError('url', 'control characters (such as %00) are not allowed in a URL')
        : undefined,
    );
  });
  app.addHook('preValidation', (req, _reply, done) => {
    // Only parsed JSON: a raw body (a CSV as a buffer or a stream) is the import's to check, as a whole file.
    const b: unknown = req.body;
    const json =
      typeof b === 'string' ||
      Array.isArray(b) ||
      (typeof b === 'object' && b !== null && Object.getPrototypeOf(b) === Object.prototype);
    const at = json ? nulPath(b, '', 0) : null;
    done(
      at === null
        ? undefined
        : new InvalidInputError(at === '' ? 'body' : at, 'NUL characters are not allowed'),
    );
  });
}
