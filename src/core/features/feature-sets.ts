// Every feature set by `id@version`: a model names the set it was trained on and is served with it.
import { UnknownFeatureSetError } from '../errors/index.js';
import { alphaFeatureSet } from './alpha-set.js';
import { basicFeatureSet, featureSetKey, type FeatureSet } from './feature-set.js';

const FEATURE_SETS: ReadonlyMap<string, FeatureSet> = new Map(
  [basicFeatureSet, alphaFeatureSet].map((set) => [featureSetKey(set), set]),
);

/** The set new models are trained on. */
export const DEFAULT_FEATURE_SET = 'alpha@1';

/** Looks a set up by `id@version` (a bare id means version 1, as model files before v2 recorded none). */
export function getFeatureSet(key: string): FeatureSet {
  const fs = FEATURE_SETS.get(key.includes('@') ? key : `${key}@1`);
  if (!fs) {
    throw new UnknownFeatureSetError(key, [...FEATURE_SETS.keys()]);
  }
  return fs;
}
