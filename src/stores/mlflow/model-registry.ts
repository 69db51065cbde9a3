// Registry port on a real MLflow model registry: registered models, versions (waited to READY) and aliases.
import {
  ModelNotFoundError,
  type ModelVersion,
  type RegisteredModel,
  type Registry,
} from '../../core/index.js';
import {
  filterString,
  MlflowApiError,
  toDomainError,
  type MlflowClient,
  type MlflowModelVersion,
  type MlflowRegisteredModel,
} from './client.js';
import type { MlflowAdapterOptions } from './tracker.js';

const notFound = (e: unknown) =>
  e instanceof MlflowApiError &&
  (e.errorCode === 'RESOURCE_DOES_NOT_EXIST' || e.errorCode === 'NOT_FOUND');

export class MlflowRegistry implements Registry {
  private readonly prefix: string;

  constructor(
    readonly client: MlflowClient,
    options: MlflowAdapterOptions = {},
  ) {
    this.prefix = options.namePrefix ?? '';
  }

  private full(name: string): string {
    return this.prefix + name;
  }

  private short(name: string): string {
    return name.startsWith(this.prefix) ? name.slice(this.prefix.length) : name;
  }

  async ensureModel(name: string): Promise<RegisteredModel> {
    const full = this.full(name);
    try {
      return this.toModel(await this.client.getRegisteredModel(full));
    } catch (e) {
      if (!notFound(e)) {
        throw toDomainError(e, { kind: 'model', what: `registered model "${name}"` });
      }
    }
    try {
      await this.client.createRegisteredModel(full);
    } catch (e) {
      // Two registrations racing to create the model: the loser just reads it.
      if (!(e instanceof MlflowApiError && e.errorCode === 'RESOURCE_ALREADY_EXISTS')) {
        throw toDomainError(e, { kind: 'model', what: `registered model "${name}"` });
      }
    }
    return this.toModel(await this.client.getRegisteredModel(full));
  }

  async createVersion(input: {
    name: string;
    source: string;
    runId: string;
    tags?: Record<string, string>;
  }): Promise<ModelVersion> {
    await this.ensureModel(input.name);
    try {
      const mv = await this.client.createModelVersion({
        name: this.full(input.name),
        source: input.source,
        runId: input.runId,
        tags: Object.entries(input.tags ?? {}).map(([key, value]) => ({ key, value })),
      });
      return this.toVersion(mv);
    } catch (e) {
      throw toDomainError(e, { kind: 'model', what: `registered model "${input.name}"` });
    }
  }

  async getVersion(name: string, version: number): Promise<ModelVersion> {
    try {
      return this.toVersion(await this.client.getModelVersion(this.full(name), version));
    } catch (e) {
      throw notFound(e)
        ? new ModelNotFoundError(`version ${version} of "${name}"`)
        : toDomainError(e, { kind: 'model', what: `version ${version} of "${name}"` });
    }
  }

  async listVersions(name: string): Promise<ModelVersion[]> {
    const full = this.full(name);
    const [versions, aliases] = await Promise.all([
      this.client.searchModelVersions(`name = ${filterString(full)}`),
      this.aliasesOf(full),
    ]);
    return versions.map((mv) => this.toVersion(mv, aliases)).sort((a, b) => b.version - a.version);
  }

  async listModels(): Promise<RegisteredModel[]> {
    const models = await this.client.searchRegisteredModels(
      this.prefix === '' ? undefined : `name LIKE ${filterString(`${this.prefix}%`)}`,
    );
    return models.map((m) => this.toModel(m)).sort((a, b) => a.name.localeCompare(b.name));
  }

  async setAlias(name: string, alias: string, version: number): Promise<void> {
    // MLflow's own answer for a missing version differs by backend; checking first gives one error.
    await this.getVersion(name, version);
    await this.client.setAlias(this.full(name), alias, version);
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    try {
      await this.client.deleteAlias(this.full(name), alias);
    } catch (e) {
      // Deleting an alias that is not set is a no-op, as in the built-in registry.
      if (!notFound(e)) {
        throw toDomainError(e, { kind: 'model', what: `alias "${alias}" of "${name}"` });
      }
    }
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion | null> {
    let mv: MlflowModelVersion | null;
    try {
      mv = await this.client.getVersionByAlias(this.full(name), alias);
    } catch (e) {
      if (notFound(e)) {
        return null;
      }
      throw toDomainError(e, { kind: 'model', what: `alias "${alias}" of "${name}"` });
    }
    return mv ? this.toVersion(mv) : null;
  }

  /** The UI link of a model version on the MLflow server. */
  versionUrl(name: string, version: number): string {
    return `${this.client.baseUrl}/#/models/${encodeURIComponent(this.full(name))}/versions/${version}`;
  }

  /** version -> aliases, from the registered model (model-versions/search does not return them). */
  private async aliasesOf(full: string): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    try {
      const m = await this.client.getRegisteredModel(full);
      for (const a of m.aliases ?? []) {
        const v = Number(a.version);
        out.set(v, [...(out.get(v) ?? []), a.alias].sort());
      }
    } catch (e) {
      if (!notFound(e)) {
        throw e;
      }
    }
    return out;
  }

  private toVersion(mv: MlflowModelVersion, aliases?: Map<number, string[]>): ModelVersion {
    const version = Number(mv.version);
    return {
      name: this.short(mv.name),
      version,
      source: mv.source ?? '',
      runId: mv.run_id ?? '',
      createdAt: Number(mv.creation_timestamp ?? 0),
      tags: Object.fromEntries((mv.tags ?? []).map((t) => [t.key, t.value])),
      aliases: aliases ? (aliases.get(version) ?? []) : [...(mv.aliases ?? [])].sort(),
    };
  }

  private toModel(m: MlflowRegisteredModel): RegisteredModel {
    const latest = (m.latest_versions ?? []).map((v) => Number(v.version));
    return {
      name: this.short(m.name),
      createdAt: Number(m.creation_timestamp ?? 0),
      latestVersion: latest.length > 0 ? Math.max(...latest) : null,
      aliases: Object.fromEntries((m.aliases ?? []).map((a) => [a.alias, Number(a.version)])),
    };
  }
}
