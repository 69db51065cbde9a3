// The ensemble: the plain average of member models, each fitted (and tuned) on the same training window.
import { InvalidInputError, InvalidModelError, ModelNotFittedError } from '../errors/index.js';
import type { Dataset } from '../features/index.js';
import { arrayAt, checkModelJson, invalid, objectAt } from './json-checks.js';
import {
  jsonHeader,
  MODEL_KINDS,
  signatureFromJson,
  signatureOf,
  type FitSignature,
  type Model,
  type ModelJson,
  type ModelKind,
  type TuningTrial,
} from './model.js';

export type MemberKind = Exclude<ModelKind, 'ensemble'>;

export interface EnsembleOptions {
  /**
   * Models averaged with equal weights.
   * @defaultValue ['ridge', 'gbdt']
   */
  members?: readonly MemberKind[];
}

export const DEFAULT_ENSEMBLE_MEMBERS: readonly MemberKind[] = ['ridge', 'gbdt'];

/** Every kind but the ensemble itself: ensembles do not nest. */
const MEMBER_KINDS: readonly MemberKind[] = MODEL_KINDS.filter(
  (k): k is MemberKind => k !== 'ensemble',
);

export class EnsembleModel implements Model {
  readonly kind = 'ensemble' as const;
  private readonly memberKinds: readonly MemberKind[];
  private members: Model[] = [];
  private sig: FitSignature = { featureSet: 'basic@1', featureNames: [], horizon: 1 };

  /** `make` builds a fresh member (the ensemble does not know the member classes: no import cycle). */
  constructor(
    private readonly make: (kind: MemberKind) => Model,
    options: EnsembleOptions = {},
  ) {
    this.memberKinds = options.members ?? DEFAULT_ENSEMBLE_MEMBERS;
    if (this.memberKinds.length === 0) {
      throw new InvalidInputError(
        'ensemble.members',
        'expected at least one member kind, found none',
      );
    }
  }

  params(): Record<string, number | string> {
    const out: Record<string, number | string> = { members: this.memberKinds.join('+') };
    for (const m of this.members) {
      for (const [k, v] of Object.entries(m.params())) {
        out[`${m.kind}.${k}`] = v;
      }
    }
    return out;
  }

  tuningTrials(): readonly TuningTrial[] {
    return this.members.flatMap((m) =>
      m.tuningTrials().map((t) => ({
        ...t,
        params: Object.fromEntries(
          Object.entries({ model: m.kind, ...t.params }).map(([k, v]) => [
            k === 'model' ? k : `${m.kind}.${k}`,
            v,
          ]),
        ),
      })),
    );
  }

  preprocessing(): { dropped: string[]; imputed: string[] } {
    const dropped = new Set<string>();
    const imputed = new Set<string>();
    for (const m of this.members) {
      const p = m.preprocessing();
      p.dropped.forEach((d) => dropped.add(d));
      p.imputed.forEach((d) => imputed.add(d));
    }
    return { dropped: [...dropped], imputed: [...imputed] };
  }

  fit(train: Dataset): void {
    this.sig = signatureOf(train);
    this.members = this.memberKinds.map((k) => {
      const m = this.make(k);
      m.fit(train);
      return m;
    });
  }

  predict(ds: Dataset): Float64Array {
    if (this.members.length === 0) {
      throw new ModelNotFittedError('EnsembleModel', 'predict');
    }
    const out = new Float64Array(ds.nRows);
    for (const m of this.members) {
      const p = m.predict(ds);
      for (let i = 0; i < ds.nRows; i++) {
        out[i] = (out[i] ?? 0) + (p[i] ?? 0);
      }
    }
    return out.map((v) => v / this.members.length);
  }

  toJSON(): ModelJson {
    if (this.members.length === 0) {
      throw new ModelNotFittedError('EnsembleModel', 'toJSON');
    }
    return {
      ...jsonHeader('ensemble', this.sig),
      params: { members: [...this.memberKinds] },
      state: { members: this.members.map((m) => m.toJSON()) },
    };
  }

  /**
   * Reads a saved ensemble; untrusted input, checked field by field (InvalidModelError), each member by
   * `read` with its path inside the ensemble. Members are never ensembles, so reading cannot recurse.
   */
  static fromJSON(
    input: unknown,
    make: (kind: MemberKind) => Model,
    read: (member: unknown) => Model,
  ): EnsembleModel {
    const json = checkModelJson(input, 'ensemble');
    const kinds = arrayAt(json.params.members, 'params.members', null);
    if (kinds.length === 0) {
      invalid('params.members', 'at least one member kind', kinds);
    }
    kinds.forEach((k, i) => {
      if (typeof k !== 'string' || !(MEMBER_KINDS as readonly string[]).includes(k)) {
        invalid(`params.members[${i}]`, `one of ${MEMBER_KINDS.join(', ')}`, k);
      }
    });
    const saved = arrayAt(json.state.members, 'state.members', kinds.length);
    const m = new EnsembleModel(make, { members: kinds as MemberKind[] });
    m.sig = signatureFromJson(json);
    m.members = saved.map((member, i) => {
      const at = `state.members[${i}]`;
      if (objectAt(member, at).kind !== kinds[i]) {
        invalid(`${at}.kind`, JSON.stringify(kinds[i]), objectAt(member, at).kind);
      }
      try {
        return read(member);
      } catch (e) {
        if (e instanceof InvalidModelError) {
          throw new InvalidModelError(
            `${at}.${String(e.details?.path)}`,
            String(e.details?.expected),
            String(e.details?.found),
          );
        }
        throw e;
      }
    });
    return m;
  }
}
