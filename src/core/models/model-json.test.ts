// Saved models as untrusted input: every bad shape is an InvalidModelError naming its field; misuse has its own code.
import { describe, expect, it } from 'vitest';
import { InvalidInputError, InvalidModelError, isStockopsError } from '../errors/index.js';
import type { Dataset } from '../features/index.js';
import { gaussian, seededRandom } from '../testing/index.js';
import {
  createModel,
  DriftModel,
  EnsembleModel,
  HistogramGbdtModel,
  MODEL_KINDS,
  modelFromJSON,
  RidgeModel,
  type ModelKind,
} from './index.js';

function dataset(n: number, p: number, seed: number): Dataset {
  const rand = seededRandom(seed);
  const X = Float64Array.from({ length: n * p }, () => gaussian(rand));
  const y = Float64Array.from({ length: n }, (_, r) => Math.sin(X[r * p] ?? 0) + gaussian(rand));
  return {
    featureSet: 'test@1',
    featureNames: Array.from({ length: p }, (_, i) => `f${i}`),
    dates: Array.from({ length: n }, (_, i) => String(i)),
    labelDates: null,
    nRows: n,
    nCols: p,
    X,
    y,
    horizon: 1,
  };
}

const train = dataset(400, 3, 1);

/** A fresh copy of a fitted model's JSON of `kind`, as it would be read back from storage. */
const saved = (() => {
  const byKind = new Map<ModelKind, string>();
  for (const kind of MODEL_KINDS) {
    const m = createModel(kind, { gbdt: { maxIter: 5, earlyStopping: false, grid: {} } });
    m.fit(train);
    byKind.set(kind, JSON.stringify(m.toJSON()));
  }
  return (kind: ModelKind) => JSON.parse(byKind.get(kind) ?? '{}') as Record<string, unknown>;
})();

/** A saved model of `kind` with one change at a dotted path (array indices as numbers: `state.coef.1`). */
function edited(
  kind: ModelKind,
  path: string,
  change: (holder: Record<string, unknown>, key: string) => void,
): Record<string, unknown> {
  const json = saved(kind);
  const keys = path.split('.');
  const key = keys.pop() ?? '';
  change(
    keys.reduce((node, k) => node[k] as Record<string, unknown>, json),
    key,
  );
  return json;
}
const set = (kind: ModelKind, path: string, value: unknown) =>
  edited(kind, path, (holder, key) => {
    holder[key] = value;
  });
const drop = (kind: ModelKind, path: string) =>
  edited(kind, path, (holder, key) => {
    Reflect.deleteProperty(holder, key);
  });
const shorten = (kind: ModelKind, path: string) =>
  edited(kind, path, (holder, key) => {
    (holder[key] as unknown[]).pop();
  });

/** The InvalidModelError that reading `json` throws (failing the test if it reads, or throws anything else). */
function refusal(json: unknown, read: (j: unknown) => unknown = modelFromJSON): InvalidModelError {
  try {
    read(json);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidModelError);
    expect(isStockopsError(e) && e.code).toBe('INVALID_MODEL');
    return e as InvalidModelError;
  }
  throw new Error(`expected ${JSON.stringify(json).slice(0, 80)} to be refused`);
}

const pathOf = (json: unknown, read?: (j: unknown) => unknown) => refusal(json, read).details?.path;

describe('modelFromJSON on untrusted input', () => {
  it('refuses junk with INVALID_MODEL instead of crashing', () => {
    expect(pathOf({ kind: 'gbdt', junk: true })).toBe('format');
    expect(pathOf(null)).toBe('(model)');
    expect(pathOf('stockops.model')).toBe('(model)');
    expect(pathOf([])).toBe('(model)');
    expect(refusal(undefined).message).toBe(
      'Model JSON is invalid at (model): expected an object, found nothing.',
    );
  });

  it('refuses an unknown format, format version or kind, saying what it accepts', () => {
    expect(refusal(set('ridge', 'format', 'onnx')).message).toBe(
      'Model JSON is invalid at format: expected "stockops.model", found "onnx".',
    );
    expect(refusal(set('ridge', 'formatVersion', 3)).message).toBe(
      'Model JSON is invalid at formatVersion: expected 1 or 2, found 3.',
    );
    expect(refusal(set('ridge', 'kind', 'xgboost')).message).toBe(
      'Model JSON is invalid at kind: expected one of naive, drift, ridge, gbdt, ensemble, found "xgboost".',
    );
  });

  it('refuses a header without feature names, a horizon, params or state', () => {
    for (const key of ['featureNames', 'horizon', 'params', 'state']) {
      expect(pathOf(drop('naive', key))).toBe(key);
    }
    expect(pathOf(set('naive', 'featureNames.1', 1))).toBe('featureNames[1]');
    expect(pathOf(set('naive', 'horizon', 0))).toBe('horizon');
    expect(pathOf(set('naive', 'featureSet', 7))).toBe('featureSet');
  });

  it('refuses a drift that is missing or not a finite number', () => {
    expect(refusal(set('drift', 'state.drift', Number.NaN)).message).toBe(
      'Model JSON is invalid at state.drift: expected a finite number, found NaN.',
    );
    expect(pathOf(drop('drift', 'state.drift'), (j) => DriftModel.fromJSON(j))).toBe('state.drift');
  });

  it('refuses ridge state with a missing array, a wrong length, NaN or a zero scale', () => {
    expect(pathOf(drop('ridge', 'state.coef'))).toBe('state.coef');
    expect(pathOf(shorten('ridge', 'state.mean'))).toBe('state.mean');
    expect(pathOf(set('ridge', 'state.coef.1', Number.NaN))).toBe('state.coef[1]');
    expect(pathOf(set('ridge', 'state.scale.0', 0))).toBe('state.scale[0]');
    expect(pathOf(set('ridge', 'state.intercept', '0.1'))).toBe('state.intercept');
    expect(pathOf(set('ridge', 'state.imputer.kept', [0, 0, 1]))).toBe('state.imputer.kept[1]');
    expect(pathOf(set('ridge', 'state.imputer.kept', [0, 1, 3]))).toBe('state.imputer.kept[2]');
    expect(pathOf(shorten('ridge', 'state.imputer.fill'))).toBe('state.imputer.fill');
    expect(pathOf(set('ridge', 'params.alphas', [1, null]))).toBe('params.alphas[1]');
    expect(pathOf(saved('gbdt'), (j) => RidgeModel.fromJSON(j))).toBe('kind');
  });

  it('refuses a GBDT forest whose walk could loop, leave the tree or read a missing column', () => {
    const read = (j: unknown) => HistogramGbdtModel.fromJSON(j);
    const tree = 'state.forest.trees.2';
    expect(refusal(set('gbdt', `${tree}.left.0`, 0), read).message).toMatch(
      /^Model JSON is invalid at state\.forest\.trees\[2\]\.left\[0\]: expected an integer from 1 to \d+, found 0\.$/,
    );
    expect(pathOf(set('gbdt', `${tree}.right.0`, 999), read)).toBe(
      'state.forest.trees[2].right[0]',
    );
    expect(pathOf(set('gbdt', `${tree}.feature.0`, 3), read)).toBe(
      'state.forest.trees[2].feature[0]',
    );
    expect(pathOf(shorten('gbdt', `${tree}.value`), read)).toBe('state.forest.trees[2].value');
    expect(pathOf(set('gbdt', `${tree}.value.1`, Number.NaN), read)).toBe(
      'state.forest.trees[2].value[1]',
    );
    expect(pathOf(set('gbdt', `${tree}.left`, []), read)).toBe('state.forest.trees[2].left');
    expect(pathOf(drop('gbdt', 'state.forest.trees'), read)).toBe('state.forest.trees');
    expect(pathOf(drop('gbdt', 'state.forest.baseline'), read)).toBe('state.forest.baseline');
    expect(pathOf(drop('gbdt', 'state.imputer'), read)).toBe('state.imputer');
    expect(pathOf(set('gbdt', 'state.chosen.learningRate', 'fast'), read)).toBe(
      'state.chosen.learningRate',
    );
    expect(pathOf(set('gbdt', 'params.grid', { maxLeafNodes: 7 }), read)).toBe(
      'params.grid.maxLeafNodes',
    );
    expect(pathOf(set('gbdt', 'params.earlyStopping', 'yes'), read)).toBe('params.earlyStopping');
  });

  it('refuses an ensemble with no members, a nested ensemble or a broken member, naming its path', () => {
    expect(pathOf(set('ensemble', 'params.members', []))).toBe('params.members');
    expect(pathOf(set('ensemble', 'params.members', ['ridge', 'ensemble']))).toBe(
      'params.members[1]',
    );
    expect(pathOf(shorten('ensemble', 'state.members'))).toBe('state.members');
    expect(pathOf(set('ensemble', 'state.members.0.kind', 'gbdt'))).toBe('state.members[0].kind');
    expect(pathOf(set('ensemble', 'state.members.1.state.forest.trees.0.left.0', 0))).toBe(
      'state.members[1].state.forest.trees[0].left[0]',
    );
    const read = (j: unknown) =>
      EnsembleModel.fromJSON(
        j,
        (k) => createModel(k),
        (m) => modelFromJSON(m),
      );
    expect(pathOf(set('ensemble', 'state.members', 'all'), read)).toBe('state.members');
  });

  it('still reads every valid file, a format-1 ridge without an imputer included', () => {
    for (const kind of MODEL_KINDS) {
      expect(modelFromJSON(saved(kind)).kind).toBe(kind);
    }
    const legacy = drop('ridge', 'state.imputer');
    legacy.formatVersion = 1;
    Reflect.deleteProperty(legacy, 'featureSet');
    expect(modelFromJSON(legacy).kind).toBe('ridge');
  });
});

/** The domain error `f` throws: its code and message. */
function thrown(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    if (isStockopsError(e)) {
      return { code: e.code, message: e.message };
    }
    throw e;
  }
  throw new Error('expected a domain error');
}

describe('model misuse', () => {
  it('names the model and the method used before a fit', () => {
    expect(thrown(() => new RidgeModel().predict(train))).toEqual({
      code: 'MODEL_NOT_FITTED',
      message:
        'RidgeModel.predict needs a fitted model; this one was neither fitted nor read from JSON.',
    });
    expect(thrown(() => new HistogramGbdtModel().toJSON()).code).toBe('MODEL_NOT_FITTED');
  });

  it('refuses to fit without labels', () => {
    expect(
      thrown(() => {
        new DriftModel().fit({ ...train, y: null });
      }),
    ).toEqual({
      code: 'MISSING_LABELS',
      message: 'DriftModel.fit needs labeled rows; found rows without labels.',
    });
    expect(
      thrown(() => {
        new RidgeModel().fit({ ...train, y: null });
      }),
    ).toEqual({
      code: 'MISSING_LABELS',
      message: 'RidgeModel.fit needs labeled rows; found rows without labels.',
    });
  });

  it('says the rows do not match the model, with both feature sets and counts', () => {
    const m = new RidgeModel();
    m.fit(train);
    expect(thrown(() => m.predict({ ...train, featureSet: 'other@1' }))).toEqual({
      code: 'FEATURE_MISMATCH',
      message:
        'ridge model was trained on test@1 (3 features): expected rows with those columns, found rows of other@1 (3 features).',
    });
  });

  it('reports ridge without a penalty on a constant column as a singular system', () => {
    const constant = { ...train, X: train.X.map((v, i) => (i % 3 === 2 ? 1 : v)) };
    expect(
      thrown(() => {
        new RidgeModel({ alphas: [0] }).fit(constant);
      }).code,
    ).toBe('SINGULAR_MATRIX');
  });

  it('refuses an ensemble without members as an input error', () => {
    expect(() => new EnsembleModel((k) => createModel(k), { members: [] })).toThrow(
      InvalidInputError,
    );
  });
});
