// Model recipe resources: a model kind with its settings or tuning grid, features, horizons, window and walk-forward, stored in versions.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { MODEL_KINDS } from '../core/index.js';
import { EpochMs, Horizon, IsoDate, ModelKind, Ticker } from './primitives.js';

/** The feature sets a recipe can name (`id@version`), newest first; the server checks each exists. */
export const FEATURE_SET_KEYS = ['alpha@1', 'basic@1'] as const;

/** A recipe id: lower-case letters, digits and dashes, as in `ridge-daily`. */
export const RECIPE_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';

const positiveList = <T extends TSchema>(item: T, description: string) =>
  Type.Array(item, { minItems: 1, maxItems: 12, description });

const Alpha = Type.Number({ exclusiveMinimum: 0, maximum: 1e9 });
const Fraction = (description: string) => Type.Number({ minimum: 0.05, maximum: 0.5, description });

export const RidgeSettingsSchema = Type.Object(
  {
    alphas: Type.Optional(
      positiveList(
        Alpha,
        'L2 penalties tried on the validation tail of each training window; one value fixes it. Default 0.1 to 100000 by decades',
      ),
    ),
    validationFraction: Type.Optional(
      Fraction('Share of each training window held out, at its end, to choose alpha (default 0.2)'),
    ),
  },
  { additionalProperties: false },
);

const LearningRate = (description?: string) =>
  Type.Number({ exclusiveMinimum: 0, maximum: 1, ...(description ? { description } : {}) });
const Leaves = (description?: string) =>
  Type.Integer({ minimum: 2, maximum: 255, ...(description ? { description } : {}) });
const LeafRows = (description?: string) =>
  Type.Integer({ minimum: 1, maximum: 10000, ...(description ? { description } : {}) });
const L2 = (description?: string) =>
  Type.Number({ minimum: 0, maximum: 1e6, ...(description ? { description } : {}) });

export const GbdtSettingsSchema = Type.Object(
  {
    maxIter: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 2000,
        description: 'Most trees grown; early stopping may stop sooner (default 200)',
      }),
    ),
    learningRate: Type.Optional(LearningRate('Shrinkage (default 0.05)')),
    maxLeafNodes: Type.Optional(Leaves('Leaves per tree (default 31)')),
    maxDepth: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 64, description: 'Depth limit; 0 for none (default)' }),
    ),
    minSamplesLeaf: Type.Optional(LeafRows('Fewest rows in a leaf (default 20)')),
    l2Regularization: Type.Optional(L2('L2 penalty on leaf values (default 0)')),
    subsample: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1,
        description: 'Share of rows drawn for each tree (default 1)',
      }),
    ),
    earlyStopping: Type.Optional(
      Type.Boolean({ description: 'Stop when the validation tail stops improving (default true)' }),
    ),
    validationFraction: Type.Optional(
      Fraction(
        'Share of each training window held out for early stopping and tuning (default 0.2)',
      ),
    ),
    grid: Type.Optional(
      Type.Object(
        {
          learningRate: Type.Optional(positiveList(LearningRate(), 'Learning rates tried')),
          maxLeafNodes: Type.Optional(positiveList(Leaves(), 'Leaf counts tried')),
          minSamplesLeaf: Type.Optional(positiveList(LeafRows(), 'Fewest rows per leaf tried')),
          l2Regularization: Type.Optional(positiveList(L2(), 'L2 penalties tried')),
        },
        {
          additionalProperties: false,
          description:
            'Values tried on the validation tail, every combination; the best is refitted (default 7 or 31 leaves x 20 or 100 rows)',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const EnsembleSettingsSchema = Type.Object(
  {
    members: Type.Optional(
      Type.Array(
        Type.Union(
          MODEL_KINDS.filter((k) => k !== 'ensemble').map((k) => Type.Literal(k)),
          { description: 'A member model kind' },
        ),
        {
          minItems: 1,
          maxItems: 4,
          description: 'Models averaged with equal weights (default ridge and gbdt)',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const RecipeModelSchema = Type.Object(
  {
    kind: ModelKind,
    ridge: Type.Optional(RidgeSettingsSchema),
    gbdt: Type.Optional(GbdtSettingsSchema),
    ensemble: Type.Optional(EnsembleSettingsSchema),
  },
  {
    additionalProperties: false,
    description:
      'The model kind and its settings: only the kind trained (and, for an ensemble, its members) may have any',
  },
);

export const RecipeSpecSchema = Type.Object(
  {
    model: RecipeModelSchema,
    featureSet: Type.String({
      pattern: '^[a-z0-9-]{1,40}@[0-9]{1,4}$',
      examples: [...FEATURE_SET_KEYS],
      description: `The feature pipeline (id@version) the model is trained and served with: ${FEATURE_SET_KEYS.join(' or ')}`,
    }),
    horizons: Type.Array(Horizon, {
      minItems: 1,
      maxItems: 3,
      description: 'Horizons trained, one model each',
    }),
    window: Type.Object(
      {
        type: Type.Union([Type.Literal('expanding'), Type.Literal('sliding')], {
          description:
            'expanding: each refit keeps every past row; sliding: only the last "first window" rows',
        }),
        start: Type.Union([IsoDate, Type.Null()], {
          description: 'First date trained on; null for the whole history',
        }),
      },
      { additionalProperties: false },
    ),
    walkForward: Type.Object(
      {
        initialTrain: Type.Integer({
          minimum: 100,
          maximum: 20000,
          description: 'Rows (trading days) in the first training window',
        }),
        step: Type.Integer({
          minimum: 5,
          maximum: 5000,
          description: 'Rows per test window, and how far the window moves between refits',
        }),
        purge: Type.Union([Type.Integer({ minimum: 1, maximum: 250 }), Type.Null()], {
          description:
            'Rows dropped before each test window, whose labels would overlap it; null means the horizon',
        }),
        embargo: Type.Integer({
          minimum: 0,
          maximum: 250,
          description: 'Extra rows dropped after the purge, against serial correlation',
        }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type RecipeSpecBody = Static<typeof RecipeSpecSchema>;

const RecipeName = Type.String({
  minLength: 1,
  maxLength: 100,
  description: 'What people call it, e.g. "Ridge, 3 years sliding"',
});
const RecipeDescription = Type.String({
  maxLength: 2000,
  description: 'What it is for and why these settings',
});

export const RecipeCreateSchema = Type.Object(
  {
    id: Type.String({
      pattern: RECIPE_ID_PATTERN,
      description: 'Stable id: lower-case letters, digits and dashes, e.g. ridge-daily',
    }),
    name: RecipeName,
    description: Type.Optional(RecipeDescription),
    spec: RecipeSpecSchema,
  },
  { additionalProperties: false },
);
export type RecipeCreate = Static<typeof RecipeCreateSchema>;

export const RecipeUpdateSchema = Type.Object(
  {
    name: RecipeName,
    description: Type.Optional(RecipeDescription),
    spec: RecipeSpecSchema,
  },
  { additionalProperties: false, description: 'The content of the next version' },
);
export type RecipeUpdate = Static<typeof RecipeUpdateSchema>;

export const RecipeSchema = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  spec: RecipeSpecSchema,
  createdAt: EpochMs,
});
export type RecipeView = Static<typeof RecipeSchema>;

export const RecipeDetailSchema = Type.Composite([
  RecipeSchema,
  Type.Object({
    versions: Type.Array(Type.Integer(), { description: 'Every version, oldest first' }),
  }),
]);
export type RecipeDetail = Static<typeof RecipeDetailSchema>;

export const RecipeParams = Type.Object({ id: Type.String({ pattern: RECIPE_ID_PATTERN }) });
export const RecipeVersionParams = Type.Object({
  id: Type.String({ pattern: RECIPE_ID_PATTERN }),
  version: Type.Integer({ minimum: 1 }),
});

export const RecipeRunRequestSchema = Type.Object(
  {
    tickers: Type.Array(Ticker, {
      minItems: 1,
      maxItems: 50,
      description: 'Tickers to run it for',
    }),
    action: Type.Union([Type.Literal('train'), Type.Literal('evaluate')], {
      description:
        'train: evaluate, track, register and pass the promotion gate; evaluate: evaluate and track only',
    }),
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'Default: the latest' })),
    horizons: Type.Optional(
      Type.Array(Horizon, { minItems: 1, maxItems: 3, description: "Default: the recipe's" }),
    ),
  },
  { additionalProperties: false },
);
export type RecipeRunRequestBody = Static<typeof RecipeRunRequestSchema>;

export const RecipeRunsStartedSchema = Type.Object({
  recipe: Type.String({ description: 'id@version every run is pinned to' }),
  runs: Type.Array(
    Type.Object({
      id: Type.String({ description: 'The flow run id' }),
      flow: Type.Union([Type.Literal('train'), Type.Literal('evaluate')]),
      ticker: Type.String(),
      horizon: Type.Integer(),
    }),
  ),
});
export type RecipeRunsStartedView = Static<typeof RecipeRunsStartedSchema>;
