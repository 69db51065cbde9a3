// The naive forecast "tomorrow = today": a zero log return. Every metric stands next to it.
import type { Dataset } from '../features/index.js';
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

  static fromJSON(json: ModelJson): NaiveModel {
    const m = new NaiveModel();
    m.sig = signatureFromJson(json);
    return m;
  }
}
