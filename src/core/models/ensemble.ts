// The ensemble: the plain average of member models, each fitted (and tuned) on the same training window.
import type { Dataset } from '../features/index.js';
import {
  jsonHeader,
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
      throw new Error('An ensemble needs at least one member');
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
      throw new Error('EnsembleModel.predict before fit');
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
      throw new Error('EnsembleModel.toJSON before fit');
    }
    return {
      ...jsonHeader('ensemble', this.sig),
      params: { members: [...this.memberKinds] },
      state: { members: this.members.map((m) => m.toJSON()) },
    };
  }

  static fromJSON(
    json: ModelJson,
    make: (kind: MemberKind) => Model,
    read: (member: ModelJson) => Model,
  ): EnsembleModel {
    const kinds = (json.params as { members: MemberKind[] }).members;
    const m = new EnsembleModel(make, { members: kinds });
    m.sig = signatureFromJson(json);
    m.members = (json.state as { members: ModelJson[] }).members.map(read);
    return m;
  }
}
