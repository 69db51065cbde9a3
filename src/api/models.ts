// Registry resources: registered models, their versions and aliases, the alias audit log, manual champion moves.
import { Type, type Static } from '@sinclair/typebox';
import { EpochMs, ModelName, NON_BLANK_TEXT_PATTERN, Version } from './primitives.js';

export const ModelVersionSchema = Type.Object({
  name: Type.String(),
  version: Type.Integer(),
  source: Type.String({ description: 'Where the model artifact lives, e.g. runs:/<runId>/model' }),
  runId: Type.String(),
  createdAt: EpochMs,
  tags: Type.Record(Type.String(), Type.String()),
  aliases: Type.Array(Type.String()),
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
