// The naive forecast "tomorrow = today": a zero log return. Every metric stands next to it.
import type { Dataset } from '../features/index.js';
import { checkModelJson } from './json-checks.js';
import {
  jsonHeader,
  signatureFromJson,
  signatureOf,
  type FitSignature,
  type Model,
  type ModelJson,
  type TuningTrial,
} from './model.js';

export class NaiveModel implements Model {
  readonly kind = 'naive' as const;
  private sig: FitSignature = { featureSet: 'basic@1', featureNames: [], horizon: 1 };

  params(): Record<string, number | string> {
    return {};
  }

  fit(train: Dataset): void {
    this.sig = signatureOf(train);
  }

  predict(ds: Dataset): Float64Array {
    return new Float64Array(ds.nRows);
  }

  tuningTrials(): readonly TuningTrial[] {
    return [];
  }

  preprocessing(): { dropped: string[]; imputed: string[] } {
    return { dropped: [], imputed: [] };
  }

  toJSON(): ModelJson {
    return { ...jsonHeader('naive', this.sig), params: {}, state: {} };
  }

  /** Reads a saved naive model; untrusted input, its header checked (InvalidModelError). */
  static fromJSON(input: unknown): NaiveModel {
    const json = checkModelJson(input, 'naive');
    const m = new NaiveModel();
    m.sig = signatureFromJson(json);
    return m;
  }
}
