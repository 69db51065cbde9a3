// Model recipes on SQL: one row per version, never rewritten, so a run's `id@version` resolves to what trained it.
import {
  ConflictError,
  RecipeNotFoundError,
  type Recipe,
  type RecipeInput,
  type RecipeSpec,
  type RecipeStore,
} from '../../core/index.js';
import type { SqlClient } from './client.js';

interface RecipeRow {
  id: string;
  version: number | string;
  name: string;
  description: string;
  spec: string;
  created_at: string | number;
}

const toRecipe = (r: RecipeRow): Recipe => ({
  id: r.id,
  version: Number(r.version),
  name: r.name,
  description: r.description,
  spec: JSON.parse(r.spec) as RecipeSpec,
  createdAt: Number(r.created_at),
});

const COLUMNS = 'id, version, name, description, spec, created_at';

export class SqlRecipeStore implements RecipeStore {
  constructor(private readonly db: SqlClient) {}

  private insert(tx: SqlClient, id: string, version: number, input: RecipeInput) {
    return tx.query<RecipeRow>(
      `insert into recipes (id, version, name, description, spec, created_at)
       values ($1, $2, $3, $4, $5, $6) on conflict (id, version) do nothing returning ${COLUMNS}`,
      [id, version, input.name, input.description, JSON.stringify(input.spec), Date.now()],
    );
  }

  async create(id: string, input: RecipeInput): Promise<Recipe> {
    const rows = await this.insert(this.db, id, 1, input);
    const row = rows[0];
    if (!row) {
      // A deleted recipe keeps its versions for the runs that name them, so its id is not reused.
      throw new ConflictError(
        `A model recipe "${id}" exists or existed; change it with a new version, or pick another id.`,
      );
    }
    return toRecipe(row);
  }

  async addVersion(id: string, input: RecipeInput): Promise<Recipe> {
    // Two writers may race for the next number: the loser finds its version taken and tries the one after.
    for (let attempt = 0; attempt < 5; attempt++) {
      const latest = await this.db.query<{ version: number | string; deleted: boolean }>(
        'select version, deleted from recipes where id = $1 order by version desc limit 1',
        [id],
      );
      const head = latest[0];
      if (!head || head.deleted) {
        throw new RecipeNotFoundError(id);
      }
      const row = (await this.insert(this.db, id, Number(head.version) + 1, input))[0];
      if (row) {
        return toRecipe(row);
      }
    }
    throw new ConflictError(`Model recipe "${id}" is being changed by someone else; try again.`);
  }

  async get(id: string, version?: number): Promise<Recipe | null> {
    const rows =
      version === undefined
        ? await this.db.query<RecipeRow>(
            `select ${COLUMNS} from recipes where id = $1 and not deleted order by version desc limit 1`,
            [id],
          )
        : // A named version resolves even after the recipe was deleted: runs keep their provenance.
          await this.db.query<RecipeRow>(
            `select ${COLUMNS} from recipes where id = $1 and version = $2`,
            [id, version],
          );
    const row = rows[0];
    return row ? toRecipe(row) : null;
  }

  async list(): Promise<Recipe[]> {
    const rows = await this.db.query<RecipeRow>(
      `select distinct on (id) ${COLUMNS} from recipes where not deleted order by id, version desc`,
    );
    return rows.map(toRecipe);
  }

  async versions(id: string): Promise<number[]> {
    const rows = await this.db.query<{ version: number | string }>(
      'select version from recipes where id = $1 and not deleted order by version',
      [id],
    );
    return rows.map((r) => Number(r.version));
  }

  async delete(id: string): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      'update recipes set deleted = true where id = $1 and not deleted returning id',
      [id],
    );
    return rows.length > 0;
  }
}
