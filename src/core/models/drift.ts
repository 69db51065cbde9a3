// The drift forecast: the mean h-day log return of the training window, the simplest model with an opinion.
import { MissingLabelsError, ModelNotFittedError } from '../errors/index.js';
import type { Dataset } from '../features/index.js';
import { checkModelJson, finiteAt } from './json-checks.js';
import {
  jsonHeader,
  signatureFromJson,
  signatureOf,
  type FitSignature,
  type Model,
  type ModelJson,
  type TuningTrial,
} from './model.js';

export class DriftModel implements Model {
  readonly kind = 'drift' as const;
  private sig: FitSignature = { featureSet: 'basic@1', featureNames: [], horizon: 1 };
  private drift: number | null = null;

  params(): Record<string, number | string> {
    return {};
  }

  fit(train: Dataset): void {
    if (!train.y || train.nRows === 0) {
      throw new MissingLabelsError('DriftModel.fit', train.y ? '0 rows' : 'rows without labels');
    }
    this.sig = signatureOf(train);
    let s = 0;
    for (let i = 0; i < train.nRows; i++) {
      s += train.y[i] ?? 0;
    }
    this.drift = s / train.nRows;
  }

  predict(ds: Dataset): Float64Array {
    if (this.drift === null) {
      throw new ModelNotFittedError('DriftModel', 'predict');
    }
    return new Float64Array(ds.nRows).fill(this.drift);
  }

  tuningTrials(): readonly TuningTrial[] {
    return [];
  }

  preprocessing(): { dropped: string[]; imputed: string[] } {
    return { dropped: [], imputed: [] };
  }

  toJSON(): ModelJson {
    if (this.drift === null) {
      throw new ModelNotFittedError('DriftModel', 'toJSON');
    }
    return { ...jsonHeader('drift', this.sig), params: {}, state: { drift: this.drift } };
  }

  /** Reads a saved drift model; untrusted input, checked field by field (InvalidModelError). */
  static fromJSON(input: unknown): DriftModel {
    const json = checkModelJson(input, 'drift');
    const m = new DriftModel();
    m.sig = signatureFromJson(json);
    m.drift = finiteAt(json.state.drift, 'state.drift');
    return m;
  }
}
