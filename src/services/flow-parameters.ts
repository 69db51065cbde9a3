// Flow parameters as TypeBox schemas: one description that validates a run's parameters and tells clients (GET /api/flows) how to ask for them.
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import {
  HORIZONS,
  InvalidInputError,
  MODEL_KINDS,
  normalizeSymbol,
  SYMBOL_INPUT_PATTERN,
  type FlowParameter,
  type TickerSymbol,
} from '../core/index.js';

/** Options this file adds to a schema: what to say when a value fails, and whether it is a ticker symbol. */
interface Extra {
  errorMessage?: string;
  symbol?: boolean;
}

const TICKER_MESSAGE = 'expected a ticker symbol string';

/** A model recipe as `id@version`: a run names the exact version, so a retry trains what the first attempt did. */
export const RECIPE_REF_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}@[1-9][0-9]{0,5}$';

export const TickerParam = (description: string) =>
  Type.String({
    pattern: SYMBOL_INPUT_PATTERN,
    description,
    examples: ['^GSPC'],
    errorMessage: TICKER_MESSAGE,
    symbol: true,
  });

export const TickersParam = (description: string) =>
  Type.Array(TickerParam('ticker symbol'), {
    minItems: 1,
    maxItems: 500,
    description,
    errorMessage: 'expected a non-empty list of at most 500 ticker symbols',
  });

export const ModelParam = (options: { description: string; default?: string }) =>
  Type.Union(
    MODEL_KINDS.map((k) => Type.Literal(k)),
    options,
  );

export const HorizonParam = (options: { description: string; default?: number }) =>
  Type.Union(
    HORIZONS.map((h) => Type.Literal(h)),
    options,
  );

export const RecipeParam = Type.String({
  pattern: RECIPE_REF_PATTERN,
  description:
    'a model recipe as id@version: its model settings, feature set, window and walk-forward replace the defaults, and the tracked run is tagged with it',
  errorMessage: 'expected a model recipe as id@version, e.g. ridge-daily@1',
});

export const BooleanParam = (description: string, value: boolean) =>
  Type.Boolean({ description, default: value, errorMessage: 'expected true or false' });

/** Parameters clients never set by hand (who started a run): accepted, but not listed. */
const INTERNAL = new Set(['actor', 'trigger']);

/** The flow's parameters as GET /api/flows lists them, and the ones a run must be given. */
export function describeParameters(schema: TObject): {
  parameters: Record<string, FlowParameter>;
  required: string[];
} {
  const parameters: Record<string, FlowParameter> = {};
  for (const [key, s] of Object.entries(schema.properties)) {
    if (!INTERNAL.has(key)) {
      parameters[key] = s as TSchema & FlowParameter;
    }
  }
  return {
    parameters,
    required: (schema.required ?? []).filter((k) => !INTERNAL.has(k)),
  };
}

function fieldOf(path: string): string {
  return path.replace(/^\//, '').replace(/\//g, '.');
}

function choices(schema: TSchema): unknown[] | undefined {
  const anyOf = (schema as { anyOf?: { const?: unknown }[] }).anyOf;
  return anyOf?.every((s) => 'const' in s) ? anyOf.map((s) => s.const) : undefined;
}

/**
 * Checks raw parameters against the flow's schema and throws InvalidInputError naming the first field at
 * fault, in the words the flows have always used ("expected one of 1, 5, 20").
 */
export function checkParameters<T extends TObject>(schema: T, raw: unknown): Static<T> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InvalidInputError('parameters', 'expected a JSON object');
  }
  // A stored run's parameters say null for "not given" (the parsed form); they are parsed again when it runs.
  const given: Record<string, unknown> = Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).filter(([, v]) => v !== null),
  );
  const first = Value.Errors(schema, given).First();
  if (!first) {
    return given;
  }
  const field = fieldOf(first.path);
  if (first.type === ValueErrorType.ObjectAdditionalProperties) {
    const allowed = Object.keys(schema.properties).filter((k) => !INTERNAL.has(k));
    throw new InvalidInputError(field, `unknown parameter; expected one of ${allowed.join(', ')}`);
  }
  const s = first.schema as TSchema & Extra;
  // A malformed symbol is refused with the symbol rule's own words, as everywhere else.
  if (s.symbol === true && typeof first.value === 'string') {
    normalizeSymbol(first.value, field);
  }
  const listed = choices(s);
  const message =
    s.errorMessage ??
    (listed ? `expected one of ${listed.map(String).join(', ')}` : first.message.toLowerCase());
  // An error inside a list names the list's own message when the item has none of its own.
  const parent = first.path.split('/').slice(1, -1);
  if (s.errorMessage === undefined && !listed && parent.length > 0) {
    const owner: (TSchema & Extra) | undefined = schema.properties[parent[0] ?? ''];
    if (owner?.errorMessage !== undefined) {
      throw new InvalidInputError(field, owner.errorMessage);
    }
  }
  throw new InvalidInputError(field, message);
}

/** A list of raw symbols, checked by the schema, as normalised tickers. */
export const symbolsOf = (raw: readonly string[], field: string): TickerSymbol[] =>
  raw.map((t, i) => normalizeSymbol(t, `${field}.${i}`));
