// Model recipe routes: list, read, create, new version, delete, and run one for tickers.
import type { FastifyInstance } from 'fastify';
import { normalizeSymbol, type FlowService } from '../../core/index.js';
import { endpoints } from '../../api/index.js';
import {
  createRecipe,
  deleteRecipe,
  getRecipe,
  listRecipes,
  startRecipeRuns,
  updateRecipe,
  type ServiceDeps,
} from '../../services/index.js';
import { route } from './route.js';

export function registerRecipeRoutes(
  app: FastifyInstance,
  deps: { services: ServiceDeps; flows: FlowService },
): void {
  const { services } = deps;

  route(app, endpoints.recipes, () => listRecipes(services));

  route(app, endpoints.recipe, (req) => getRecipe(services, req.params.id));

  route(app, endpoints.recipeVersion, (req) =>
    getRecipe(services, req.params.id, req.params.version),
  );

  route(app, endpoints.createRecipe, async (req) => {
    const { id, name, description, spec } = req.body;
    await createRecipe(services, id, { name, description: description ?? '', spec });
    return getRecipe(services, id);
  });

  route(app, endpoints.updateRecipe, async (req) => {
    const { name, description, spec } = req.body;
    await updateRecipe(services, req.params.id, { name, description: description ?? '', spec });
    return getRecipe(services, req.params.id);
  });

  route(app, endpoints.deleteRecipe, async (req) => {
    await deleteRecipe(services, req.params.id);
    return null;
  });

  route(app, endpoints.runRecipe, (req) =>
    startRecipeRuns(
      services,
      deps.flows,
      req.params.id,
      {
        action: req.body.action,
        tickers: req.body.tickers.map((t) => normalizeSymbol(t, 'tickers')),
        ...(req.body.version !== undefined ? { version: req.body.version } : {}),
        ...(req.body.horizons !== undefined ? { horizons: req.body.horizons } : {}),
      },
      'api',
    ),
  );
}
