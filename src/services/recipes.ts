// Model recipes: checking what a recipe says, storing its versions, turning one into training settings, and running it for tickers.
import {
  getFeatureSet,
  InvalidInputError,
  RecipeNotFoundError,
  ResourceClosedError,
  UnknownTickerError,
  type FlowService,
  type Horizon,
  type ModelKind,
  type Recipe,
  type RecipeInput,
  type RecipeSpec,
  type RecipeStore,
  type TickerSymbol,
} from '../core/index.js';
import { today, type ServiceDeps } from './deps.js';
import type { TrainInput } from './train.js';

/** Tag of a tracked run naming the recipe (`id@version`) it was trained from. */
export const RECIPE_TAG = 'stockops.recipe';

/** `id@version`, the way runs and flow parameters name a recipe. */
export const recipeRef = (r: Pick<Recipe, 'id' | 'version'>): string => `${r.id}@${r.version}`;

function storeOf(deps: Pick<ServiceDeps, 'recipes'>): RecipeStore {
  if (!deps.recipes) {
    throw new ResourceClosedError('RecipeStore', 'not configured in this runtime');
  }
  return deps.recipes;
}

/** Options that only a kind uses; an ensemble uses its members' too. */
const OPTIONS_OF: Record<'ridge' | 'gbdt' | 'ensemble', readonly ModelKind[]> = {
  ridge: ['ridge', 'ensemble'],
  gbdt: ['gbdt', 'ensemble'],
  ensemble: ['ensemble'],
};

/**
 * What the schema cannot say: settings for a kind the recipe does not train, a feature set that does not
 * exist, a horizon listed twice, a purge shorter than a horizon, a start date after today.
 */
export function checkRecipeSpec(spec: RecipeSpec, today: string): void {
  const kind = spec.model.kind;
  for (const key of ['ridge', 'gbdt', 'ensemble'] as const) {
    if (spec.model[key] !== undefined && !OPTIONS_OF[key].includes(kind)) {
      throw new InvalidInputError(
        `spec.model.${key}`,
        `${key} settings do not apply to a ${kind} model; remove them or choose kind ${key}`,
      );
    }
  }
  const members = spec.model.ensemble?.members;
  if (members && new Set(members).size !== members.length) {
    throw new InvalidInputError('spec.model.ensemble.members', 'lists a member kind twice');
  }
  try {
    getFeatureSet(spec.featureSet);
  } catch (e) {
    throw new InvalidInputError('spec.featureSet', e instanceof Error ? e.message : String(e));
  }
  if (new Set(spec.horizons).size !== spec.horizons.length) {
    throw new InvalidInputError('spec.horizons', 'lists a horizon twice');
  }
  const purge = spec.walkForward.purge;
  const longest = Math.max(...spec.horizons);
  if (purge !== null && purge < longest) {
    throw new InvalidInputError(
      'spec.walkForward.purge',
      `must be at least the longest horizon (${longest}): a shorter purge lets training labels reach into the test window`,
    );
  }
  if (spec.window.start !== null && spec.window.start > today) {
    throw new InvalidInputError('spec.window.start', `is after today (${today})`);
  }
}

/** Stores a new recipe (version 1) after checking it. */
export async function createRecipe(
  deps: Pick<ServiceDeps, 'recipes' | 'now'>,
  id: string,
  input: RecipeInput,
): Promise<Recipe> {
  checkRecipeSpec(input.spec, today(deps));
  return storeOf(deps).create(id, input);
}

/** Stores the next version of a recipe; earlier versions stay, so runs trained from them still resolve. */
export async function updateRecipe(
  deps: Pick<ServiceDeps, 'recipes' | 'now'>,
  id: string,
  input: RecipeInput,
): Promise<Recipe> {
  checkRecipeSpec(input.spec, today(deps));
  return storeOf(deps).addVersion(id, input);
}

export async function getRecipe(
  deps: Pick<ServiceDeps, 'recipes'>,
  id: string,
  version?: number,
): Promise<Recipe & { versions: number[] }> {
  const store = storeOf(deps);
  const recipe = await store.get(id, version);
  if (!recipe) {
    throw new RecipeNotFoundError(id, version);
  }
  return { ...recipe, versions: await store.versions(id) };
}

export const listRecipes = (deps: Pick<ServiceDeps, 'recipes'>): Promise<Recipe[]> =>
  storeOf(deps).list();

export async function deleteRecipe(deps: Pick<ServiceDeps, 'recipes'>, id: string): Promise<void> {
  if (!(await storeOf(deps).delete(id))) {
    throw new RecipeNotFoundError(id);
  }
}

/** The recipe an `id@version` names; RecipeNotFoundError when it is gone. */
export async function resolveRecipe(
  deps: Pick<ServiceDeps, 'recipes'>,
  ref: string,
): Promise<Recipe> {
  const at = ref.lastIndexOf('@');
  const id = at < 0 ? ref : ref.slice(0, at);
  const version = at < 0 ? undefined : Number(ref.slice(at + 1));
  const recipe = await storeOf(deps).get(id, version);
  if (!recipe) {
    throw new RecipeNotFoundError(id, version);
  }
  return recipe;
}

/** The training settings a recipe stands for (everything but the ticker and the horizon). */
export function recipeTrainSettings(
  recipe: Recipe,
): Pick<TrainInput, 'model' | 'featureSet' | 'walkForward' | 'modelOptions' | 'from'> {
  const { model, featureSet, window, walkForward } = recipe.spec;
  return {
    model: model.kind,
    featureSet,
    walkForward: {
      initialTrain: walkForward.initialTrain,
      step: walkForward.step,
      embargo: walkForward.embargo,
      window: window.type,
      ...(walkForward.purge === null ? {} : { purge: walkForward.purge }),
    },
    modelOptions: {
      ...(model.ridge ? { ridge: model.ridge } : {}),
      ...(model.gbdt ? { gbdt: model.gbdt } : {}),
      ...(model.ensemble ? { ensemble: model.ensemble } : {}),
    },
    ...(window.start === null ? {} : { from: window.start }),
  };
}

export interface RecipeRunRequest {
  tickers: TickerSymbol[];
  /** `train` registers and may promote; `evaluate` only tracks the run. */
  action: 'train' | 'evaluate';
  /** @defaultValue the latest version */
  version?: number;
  /** @defaultValue every horizon of the recipe */
  horizons?: Horizon[];
}

export interface RecipeRunsStarted {
  recipe: string;
  runs: { id: string; flow: 'train' | 'evaluate'; ticker: string; horizon: number }[];
}

/** Starts one train or evaluate flow run per ticker and horizon, all pinned to one version of the recipe. */
export async function startRecipeRuns(
  deps: Pick<ServiceDeps, 'recipes' | 'prices'>,
  flows: FlowService,
  id: string,
  request: RecipeRunRequest,
  actor: string,
): Promise<RecipeRunsStarted> {
  const recipe = await storeOf(deps).get(id, request.version);
  if (!recipe) {
    throw new RecipeNotFoundError(id, request.version);
  }
  // Said now rather than when a run fails in the background.
  for (const t of request.tickers) {
    if (!(await deps.prices.getTicker(t))) {
      throw new UnknownTickerError(t);
    }
  }
  const horizons = request.horizons ?? recipe.spec.horizons;
  const ref = recipeRef(recipe);
  const runs: RecipeRunsStarted['runs'] = [];
  for (const ticker of request.tickers) {
    for (const horizon of horizons) {
      const runId = await flows.start(request.action, {
        ticker,
        horizon,
        model: recipe.spec.model.kind,
        recipe: ref,
        actor,
      });
      runs.push({ id: runId, flow: request.action, ticker, horizon });
    }
  }
  return { recipe: ref, runs };
}
