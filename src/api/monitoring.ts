// Monitoring's wire shapes: the drift of one column and of a data set, as `stockops drift --json` prints them and monitoring reports will carry them.
import { Type, type Static } from '@sinclair/typebox';
import { DRIFT_TESTS } from '../core/index.js';

/** A computed number; JSON has no infinities or NaN, so those travel as the strings JavaScript prints for them. */
export const JsonNumberSchema = Type.Union(
  [Type.Number(), Type.Literal('Infinity'), Type.Literal('-Infinity'), Type.Literal('NaN')],
  { description: 'A number; non-finite values as "Infinity", "-Infinity" or "NaN"' },
);

export const DriftTestSchema = Type.Union(
  DRIFT_TESTS.map((t) => Type.Literal(t)),
  {
    description:
      "The test Evidently's DataDriftPreset rules chose: ks (two-sample Kolmogorov-Smirnov), wasserstein (normed by the reference's standard deviation), chisquare, z (two proportions), jensenshannon",
  },
);

export const ColumnDriftSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('numerical'), Type.Literal('categorical')]),
    nRef: Type.Integer({ description: 'Reference values once NaN and +-inf are dropped' }),
    nCur: Type.Integer({ description: 'Current values once NaN and +-inf are dropped' }),
    nValues: Type.Integer({ description: 'Distinct values of reference and current together' }),
    test: DriftTestSchema,
    statistic: Type.Union([JsonNumberSchema, Type.Null()], {
      description: 'The test statistic; null where it has none (Z on one and the same value)',
    }),
    pValue: Type.Optional(JsonNumberSchema),
    threshold: Type.Number({
      description:
        'Drift when p <= threshold (ks), p < threshold (chisquare, z), statistic >= threshold (distances)',
    }),
    drift: Type.Boolean(),
    psi: Type.Optional(
      Type.Object(
        {
          statistic: JsonNumberSchema,
          threshold: Type.Number(),
          drift: Type.Boolean(),
          nBins: Type.Integer(),
        },
        {
          additionalProperties: false,
          description: 'Population stability index, reported beside the test',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ColumnDriftResult = Static<typeof ColumnDriftSchema>;

export const DatasetDriftSchema = Type.Object(
  {
    columns: Type.Record(Type.String(), ColumnDriftSchema),
    dataset: Type.Object(
      {
        nColumns: Type.Integer(),
        nDrifted: Type.Integer(),
        share: Type.Number({ description: 'nDrifted / nColumns' }),
        threshold: Type.Number({ description: 'The data set drifts when share >= threshold' }),
        drift: Type.Boolean(),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type DatasetDriftResult = Static<typeof DatasetDriftSchema>;
