// `stockops recipe list|show|create|delete|run`: model recipes, through the server that holds the store or in this process.
import { readFile } from 'node:fs/promises';
import { Value } from '@sinclair/typebox/value';
import { Command, Option } from 'commander';
import {
  endpoints,
  FLOW_RUN_ENDED_STATES,
  RecipeCreateSchema,
  type RecipeCreate,
  type RecipeDetail,
  type RecipeRunsStartedView,
  type RecipeView,
} from '../api/index.js';
import { loadConfig } from '../config/index.js';
import { InvalidInputError, normalizeSymbol } from '../core/index.js';
import {
  createRecipe,
  deleteRecipe,
  getRecipe,
  listRecipes,
  startRecipeRuns,
} from '../services/index.js';
import type { Runtime } from '../runtime/index.js';
import { runCommand } from './backend.js';
import type { Emit } from './flow-commands.js';
import { parseIntIn } from './options.js';

interface JsonOpt {
  json?: boolean;
}

const parseVersion = parseIntIn('version', 1, 1_000_000);

async function untilEnded(rt: Runtime, id: string): Promise<void> {
  for (;;) {
    const run = await rt.flows.get(id);
    if (!run || (FLOW_RUN_ENDED_STATES as readonly string[]).includes(run.state)) {
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A recipe file checked against the contract's schema here, so a typo is named before anything starts. */
async function readRecipeFile(path: string): Promise<RecipeCreate> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (e) {
    throw new InvalidInputError('file', `${path} is not readable JSON (${String(e)})`);
  }
  const first = Value.Errors(RecipeCreateSchema, raw).First();
  if (first) {
    throw new InvalidInputError(
      first.path.replace(/^\//, '').replace(/\//g, '.') || 'recipe',
      `${first.message} in ${path}`,
    );
  }
  return raw as RecipeCreate;
}

const summary = (r: RecipeView) => {
  const s = r.spec;
  const wf = s.walkForward;
  return `${`${r.id}@${r.version}`.padEnd(24)} ${s.model.kind.padEnd(9)} h ${s.horizons.join(',').padEnd(7)} ${s.featureSet.padEnd(8)} ${s.window.type}${s.window.start ? ` from ${s.window.start}` : ''}, first ${wf.initialTrain}, step ${wf.step}  ${r.name}`;
};

export function registerRecipeCommands(
  program: Command,
  emit: Emit,
  onWait: (m: string) => void,
): void {
  const recipe = program
    .command('recipe')
    .description(
      'Model recipes: a model kind with its settings or tuning grid, feature set, horizons, window and walk-forward, stored in versions.',
    );

  recipe
    .command('list')
    .description('Every recipe, its latest version.')
    .option('--json', 'print one JSON object')
    .action(async (opts: JsonOpt) => {
      const config = loadConfig();
      await emit(
        opts,
        async () => ({
          recipes: await runCommand<RecipeView[]>(
            config,
            (api) => api.call(endpoints.recipes, {}),
            (rt) => listRecipes(rt.services),
            onWait,
          ),
        }),
        (r) => (r.recipes.length === 0 ? 'no recipes' : r.recipes.map(summary).join('\n')),
      );
    });

  recipe
    .command('show')
    .description('One recipe (its latest version unless --version) as JSON.')
    .argument('<id>', 'recipe id')
    .option('--version <n>', 'a version', parseVersion)
    .option('--json', 'print one JSON object')
    .action(async (id: string, opts: { version?: number } & JsonOpt) => {
      const config = loadConfig();
      await emit(
        opts,
        () =>
          runCommand<RecipeDetail>(
            config,
            (api) =>
              opts.version === undefined
                ? api.call(endpoints.recipe, { params: { id } })
                : api.call(endpoints.recipeVersion, { params: { id, version: opts.version } }),
            (rt) => getRecipe(rt.services, id, opts.version),
            onWait,
          ),
        (r) =>
          `${summary(r)}\nversions ${r.versions.join(', ')}\n${JSON.stringify(r.spec, null, 2)}`,
      );
    });

  recipe
    .command('create')
    .description(
      'Store version 1 of a recipe from a JSON file: { "id", "name", "description"?, "spec": { model, featureSet, horizons, window, walkForward } } (GET /openapi.json, RecipeCreate).',
    )
    .requiredOption('-f, --file <path>', 'the recipe as JSON')
    .option('--json', 'print one JSON object')
    .action(async (opts: { file: string } & JsonOpt) => {
      const config = loadConfig();
      await emit(
        opts,
        async () => {
          const body = await readRecipeFile(opts.file);
          return runCommand<RecipeDetail>(
            config,
            (api) => api.call(endpoints.createRecipe, { body }),
            async (rt) => {
              const { id, name, description, spec } = body;
              await createRecipe(rt.services, id, { name, description: description ?? '', spec });
              return getRecipe(rt.services, id);
            },
            onWait,
          );
        },
        (r) => `created ${r.id}@${r.version}`,
      );
    });

  recipe
    .command('delete')
    .description('Remove a recipe from the list; runs keep resolving the versions they name.')
    .argument('<id>', 'recipe id')
    .option('--json', 'print one JSON object')
    .action(async (id: string, opts: JsonOpt) => {
      const config = loadConfig();
      await emit(
        opts,
        async () => {
          await runCommand<unknown>(
            config,
            (api) => api.call(endpoints.deleteRecipe, { params: { id } }),
            (rt) => deleteRecipe(rt.services, id),
            onWait,
          );
          return { deleted: id };
        },
        (r) => `deleted ${r.deleted}`,
      );
    });

  recipe
    .command('run')
    .description(
      'Start one train (or evaluate) flow run per ticker and horizon from a recipe; without a server the runs execute here and the command waits for them.',
    )
    .argument('<id>', 'recipe id')
    .argument('<tickers...>', 'ticker symbols')
    .addOption(
      new Option('--action <action>', 'train or evaluate')
        .choices(['train', 'evaluate'])
        .default('train'),
    )
    .option('--version <n>', 'a version (default: the latest)', parseVersion)
    .option('--json', 'print one JSON object')
    .action(
      async (
        id: string,
        tickers: string[],
        opts: { action: 'train' | 'evaluate'; version?: number } & JsonOpt,
      ) => {
        const config = loadConfig();
        const symbols = tickers.map((t) => normalizeSymbol(t, 'tickers'));
        await emit(
          opts,
          () =>
            runCommand<RecipeRunsStartedView>(
              config,
              (api) =>
                api.call(endpoints.runRecipe, {
                  params: { id },
                  body: {
                    tickers: symbols,
                    action: opts.action,
                    ...(opts.version !== undefined ? { version: opts.version } : {}),
                  },
                }),
              async (rt) => {
                const started = await startRecipeRuns(
                  rt.services,
                  rt.flows,
                  id,
                  {
                    tickers: symbols,
                    action: opts.action,
                    ...(opts.version !== undefined ? { version: opts.version } : {}),
                  },
                  'cli',
                );
                // In-process the runs execute in this process: leaving early would abandon them.
                if (rt.flowRunners.runner === 'in-process') {
                  await Promise.all(started.runs.map((r) => untilEnded(rt, r.id)));
                }
                return started;
              },
              onWait,
            ),
          (r) =>
            `${r.recipe}: started ${r.runs.map((x) => `${x.flow} ${x.ticker} h${x.horizon} ${x.id}`).join('; ')}`,
        );
      },
    );
}
