// The naive forecast "tomorrow = today": a zero log return. Every metric stands next to it.
import type { Dataset } from '../features/index.js';
import type { Model, ModelJson } from './model.js';

export class NaiveModel implements Model {
  readonly kind = 'naive' as const;
  private featureNames: string[] = [];
  private horizon = 1;

  params(): Record<string, number | string> {
    return {};
  }

  fit(train: Dataset): void {
    this.featureNames = [...train.featureNames];
    this.horizon = train.horizon;
  }

  predict(ds: Dataset): Float64Array {
    return new Float64Array(ds.nRows);
  }

  toJSON(): ModelJson {
    return {
      format: 'stockops.model',
      formatVersion: 1,
      kind: 'naive',
      featureNames: this.featureNames,
      horizon: this.horizon,
      params: {},
      state: {},
    };
  }

  static fromJSON(json: ModelJson): NaiveModel {
    const m = new NaiveModel();
    m.featureNames = [...json.featureNames];
    m.horizon = json.horizon;
    return m;
  }
}
