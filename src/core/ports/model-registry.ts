// The Registry port: named models, numbered versions and movable aliases (MLflow's model registry).

export interface ModelVersion {
  name: string;
  version: number;
  /** Where the model artifact lives, e.g. runs:/<runId>/model. */
  source: string;
  runId: string;
  createdAt: number;
  tags: Record<string, string>;
  aliases: string[];
}

export interface RegisteredModel {
  name: string;
  createdAt: number;
  latestVersion: number | null;
  aliases: Record<string, number>;
}

/** Model registry: named models, numbered versions, movable aliases such as `champion`. */
export interface Registry {
  ensureModel(name: string): Promise<RegisteredModel>;
  createVersion(input: {
    name: string;
    source: string;
    runId: string;
    tags?: Record<string, string>;
  }): Promise<ModelVersion>;
  getVersion(name: string, version: number): Promise<ModelVersion>;
  listVersions(name: string): Promise<ModelVersion[]>;
  listModels(): Promise<RegisteredModel[]>;
  setAlias(name: string, alias: string, version: number): Promise<void>;
  deleteAlias(name: string, alias: string): Promise<void>;
  getVersionByAlias(name: string, alias: string): Promise<ModelVersion | null>;
}
