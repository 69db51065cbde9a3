// The ArtifactStore port: blobs under slash-separated keys (file:// or s3://).

/** Blob storage addressed by slash-separated keys. */
export interface ArtifactStore {
  /** URI of the store root, e.g. file:///data/artifacts or s3://bucket/prefix. */
  readonly baseUri: string;
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array>;
  exists(key: string): Promise<boolean>;
  list(prefix: string): Promise<string[]>;
}
