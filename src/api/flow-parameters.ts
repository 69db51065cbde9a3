// The parameters of each shipped flow as TypeBox schemas: the flow validates a run's parameters with them, GET
// /api/flows lists them, and each flow's documented start route checks its body with them at the edge.
import { Type } from '@sinclair/typebox';
import { HORIZONS, MODEL_KINDS, SYMBOL_INPUT_PATTERN } from '../core/index.js';
import { SAFE_TEXT_PATTERN } from './primitives.js';

/** Said when a ticker parameter is not a string (a malformed symbol is refused in the symbol rule's own words). */
const TICKER_MESSAGE = 'expected a ticker symbol string';

/** A model recipe as `id@version`: a run names the exact version, so a retry trains what the first attempt did. */
export const RECIPE_REF_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}@[1-9][0-9]{0,5}$';

// `errorMessage` (what to say when a value fails) and `symbol` (a ticker) are read by the flows' parameter check.

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

/** Who started a run (a schedule, a person): free text without control characters, stored with the run. */
const InternalText = (description: string) =>
  Type.String({
    pattern: SAFE_TEXT_PATTERN,
    maxLength: 200,
    description,
    errorMessage: 'expected text of at most 200 characters without control characters',
  });

/** An exchange group: Taipei (`.TW`, `.TWO`), the others, or all. */
const MarketParam = (description: string) =>
  Type.Union([Type.Literal('US'), Type.Literal('TW'), Type.Literal('ALL')], {
    description,
    default: 'ALL',
    errorMessage: 'expected US, TW or ALL',
  });

export const TrainFlowParameters = Type.Object(
  {
    ticker: TickerParam('ticker symbol, e.g. ^GSPC'),
    model: Type.Optional(
      ModelParam({ description: "model kind (with a recipe: the recipe's)", default: 'ridge' }),
    ),
    horizon: Type.Optional(HorizonParam({ description: 'horizon in trading days', default: 1 })),
    recipe: Type.Optional(RecipeParam),
    actor: Type.Optional(InternalText('who started the run, as the alias log records it')),
  },
  { additionalProperties: false },
);

export const EtlFlowParameters = Type.Object(
  {
    tickers: Type.Optional(
      TickersParam('tickers; default: followed and stored tickers of the market'),
    ),
    market: Type.Optional(MarketParam('exchange group when tickers is empty')),
    full: Type.Optional(BooleanParam('refetch the full history', false)),
    snapshot: Type.Optional(BooleanParam('write Parquet snapshots', true)),
    trigger: Type.Optional(InternalText('what started the run (api, schedule, cli)')),
  },
  { additionalProperties: false },
);

export const RetrainAllFlowParameters = Type.Object(
  {
    tickers: Type.Optional(TickersParam('tickers; default: every stored ticker')),
    models: Type.Optional(
      Type.Array(ModelParam({ description: 'model kind' }), {
        minItems: 1,
        maxItems: MODEL_KINDS.length,
        description: "model kinds (with a recipe: the recipe's)",
        default: ['ridge'],
        errorMessage: `expected a non-empty list of at most ${MODEL_KINDS.length} model kinds`,
      }),
    ),
    horizons: Type.Optional(
      Type.Array(HorizonParam({ description: 'horizon in trading days' }), {
        minItems: 1,
        maxItems: HORIZONS.length,
        description: "horizons (with a recipe: the recipe's)",
        default: [1],
        errorMessage: `expected a non-empty list of horizons from ${HORIZONS.join(', ')}`,
      }),
    ),
    recipe: Type.Optional(RecipeParam),
  },
  { additionalProperties: false },
);

export const BootstrapFlowParameters = Type.Object({}, { additionalProperties: false });

export const MonitorFlowParameters = Type.Object(
  {
    tickers: Type.Optional(TickersParam('tickers; default: every model with a champion')),
    horizons: Type.Optional(
      Type.Array(HorizonParam({ description: 'horizon in trading days' }), {
        minItems: 1,
        maxItems: HORIZONS.length,
        description: 'horizons; default: all',
        errorMessage: `expected a non-empty list of horizons from ${HORIZONS.join(', ')}`,
      }),
    ),
    market: Type.Optional(
      MarketParam('exchange group (Taipei or the others) when tickers is empty'),
    ),
    trigger: Type.Optional(InternalText('what started the run (api, schedule, data.loaded)')),
  },
  { additionalProperties: false },
);
