// Registry resources: registered models, their versions and aliases, the alias audit log, manual champion moves.
import { Type, type Static } from '@sinclair/typebox';
import { EpochMs, ModelName, NON_BLANK_TEXT_PATTERN, Version } from './primitives.js';

export const VersionDatasetSchema = Type.Object(
  {
    digest: Type.String({
      description: 'sha256 of the Parquet snapshot of the bars it trained on',
    }),
    source: Type.String({ description: 'URI of that snapshot' }),
    from: Type.String({ description: 'First bar date' }),
    to: Type.String({ description: 'Last bar date' }),
    rows: Type.Integer({ description: 'Bars' }),
    etlRunId: Type.Union([Type.String(), Type.Null()], {
      description:
        'The ETL run that last loaded the ticker before training (GET /api/etl/runs/{id}); null when its bars came from imports only',
    }),
  },
  { description: 'The data set a version was trained on' },
);
export type VersionDataset = Static<typeof VersionDatasetSchema>;

export const ModelVersionSchema = Type.Object({
  name: Type.String(),
  version: Type.Integer(),
  source: Type.String({ description: 'Where the model artifact lives, e.g. runs:/<runId>/model' }),
  runId: Type.String(),
  createdAt: EpochMs,
  tags: Type.Record(Type.String(), Type.String()),
  aliases: Type.Array(Type.String()),
  dataset: Type.Union([VersionDatasetSchema, Type.Null()], {
    description: "The data set of the version's run; null when the run records none",
  }),
});
export type ModelVersionInfo = Static<typeof ModelVersionSchema>;

export const RegisteredModelSchema = Type.Object({
  name: Type.String(),
  createdAt: EpochMs,
  latestVersion: Type.Union([Type.Integer(), Type.Null()]),
  aliases: Type.Record(Type.String(), Type.Integer()),
  versions: Type.Array(ModelVersionSchema),
});
export type RegisteredModelInfo = Static<typeof RegisteredModelSchema>;

export const ModelParams = Type.Object({ name: ModelName });

export const AliasEventSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  alias: Type.String(),
  fromVersion: Type.Union([Type.Integer(), Type.Null()]),
  toVersion: Type.Union([Type.Integer(), Type.Null()]),
  actor: Type.String(),
  reason: Type.String(),
  metrics: Type.Record(Type.String(), Type.Number()),
  at: EpochMs,
});
export type AliasEventInfo = Static<typeof AliasEventSchema>;

export const SetChampionSchema = Type.Object(
  {
    version: Version,
    reason: Type.String({
      minLength: 1,
      maxLength: 500,
      pattern: NON_BLANK_TEXT_PATTERN,
      description: 'Why champion moves: printable text, not only spaces',
    }),
  },
  { additionalProperties: false },
);
export type SetChampion = Static<typeof SetChampionSchema>;

export const AliasMoveSchema = Type.Object({
  name: Type.String(),
  alias: Type.Literal('champion'),
  fromVersion: Type.Union([Type.Integer(), Type.Null()]),
  toVersion: Type.Integer(),
});
export type AliasMove = Static<typeof AliasMoveSchema>;

export const ChampionAtQuery = Type.Object(
  {
    time: Type.String({
      minLength: 1,
      maxLength: 40,
      // Exactly what parseTime (services/registry-audit.ts) reads: up to 15 digits, or a date with an optional time and zone.
      pattern:
        '^([0-9]{1,15}|[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,3})?)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9]))?)$',
      description:
        'Milliseconds since the epoch, or an ISO 8601 date (its end, UTC) or date-time: 1700000000000, 2024-03-01, 2024-03-01T14:30:00Z',
      examples: ['2024-03-01T14:30:00Z'],
    }),
  },
  { additionalProperties: false },
);

export const ChampionAtSchema = Type.Object({
  name: Type.String(),
  time: EpochMs,
  version: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The version serving at that time; null before the first champion move',
  }),
  kind: Type.Union([Type.String(), Type.Null()], { description: "The version's model kind" }),
  since: Type.Union([EpochMs, Type.Null()], { description: 'When champion moved to it' }),
  move: Type.Union([AliasEventSchema, Type.Null()], {
    description: 'The alias-log record of that move: who, why, the numbers',
  }),
  note: Type.String(),
});
export type ChampionAt = Static<typeof ChampionAtSchema>;
