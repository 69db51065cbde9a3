// The RecipeStore port: model recipes (a model kind with its settings, features, horizons, window, walk-forward), stored and versioned.
import type { Horizon } from '../data/index.js';
import type { ModelKind } from '../models/index.js';

/** How the training window moves: all past rows (expanding) or the last `initialTrain` rows (sliding). */
export type RecipeWindowType = 'expanding' | 'sliding';

/** Model settings of a recipe: fixed hyper-parameters, or several values each (a grid tried on the validation tail). */
export interface RecipeModel {
  kind: ModelKind;
  /** Ridge: penalties tried (one value fixes it) and the share of the window held out to choose. */
  ridge?: { alphas?: number[]; validationFraction?: number };
  /** Histogram GBDT: fixed settings, the grid tried, early stopping. */
  gbdt?: {
    maxIter?: number;
    learningRate?: number;
    maxLeafNodes?: number;
    maxDepth?: number;
    minSamplesLeaf?: number;
    l2Regularization?: number;
    subsample?: number;
    earlyStopping?: boolean;
    validationFraction?: number;
    grid?: {
      learningRate?: number[];
      maxLeafNodes?: number[];
      minSamplesLeaf?: number[];
      l2Regularization?: number[];
    };
  };
  /** Ensemble: the member kinds averaged. */
  ensemble?: { members?: Exclude<ModelKind, 'ensemble'>[] };
}

/** Everything a training needs besides the ticker: the recipe's content, compared as a whole between versions. */
export interface RecipeSpec {
  model: RecipeModel;
  /** `id@version` of the feature set. */
  featureSet: string;
  horizons: Horizon[];
  window: {
    type: RecipeWindowType;
    /** First bar date used (YYYY-MM-DD); null uses the whole history. */
    start: string | null;
  };
  walkForward: {
    /** Rows in the first training window. */
    initialTrain: number;
    /** Rows per test window, and how far the window moves between refits. */
    step: number;
    /** Rows dropped before each test window; null means the horizon (never less than it). */
    purge: number | null;
    /** Extra rows dropped after the purge. */
    embargo: number;
  };
}

export interface Recipe {
  /** Stable slug, e.g. `ridge-daily`; a new version keeps it. */
  id: string;
  version: number;
  name: string;
  description: string;
  spec: RecipeSpec;
  createdAt: number;
}

/** What a new recipe or a new version of one says. */
export interface RecipeInput {
  name: string;
  description: string;
  spec: RecipeSpec;
}

/** Recipes in the SQL store: every version kept, so a run's `id@version` always resolves to what trained it. */
export interface RecipeStore {
  /** Version 1 of a new recipe; ConflictError when the id is taken. */
  create(id: string, input: RecipeInput): Promise<Recipe>;
  /** The next version of an existing recipe; RecipeNotFoundError for an unknown id. */
  addVersion(id: string, input: RecipeInput): Promise<Recipe>;
  /** One version (the latest when none is given), or null. */
  get(id: string, version?: number): Promise<Recipe | null>;
  /** The latest version of every recipe, by id. */
  list(): Promise<Recipe[]>;
  /** Every version number of a recipe, oldest first; empty for an unknown id. */
  versions(id: string): Promise<number[]>;
  /** Removes every version; false when there was no such recipe. */
  delete(id: string): Promise<boolean>;
}
