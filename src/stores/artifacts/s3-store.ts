// ArtifactStore on S3 or MinIO (s3://bucket/prefix URLs), path-style when S3_ENDPOINT names a server.
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  ArtifactNotFoundError,
  ConfigError,
  ConflictError,
  type ArtifactStore,
} from '../../core/index.js';

export interface S3StoreOptions {
  bucket: string;
  /** Key prefix inside the bucket, without leading or trailing slash. @defaultValue '' */
  prefix?: string;
  /** S3-compatible endpoint such as MinIO (`S3_ENDPOINT`); unset means AWS itself. */
  endpoint?: string;
  /** @defaultValue 'us-east-1' */
  region?: string;
  /** Unset means the SDK's default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profiles, ...). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Parses `bucket/prefix` (the part after `s3://`). */
export function parseS3Location(rest: string): { bucket: string; prefix: string } {
  const [bucket = '', ...parts] = rest.split('/');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new ConfigError(
      `ARTIFACTS_URL "s3://${rest}" needs a valid bucket name after s3:// (3-63 lower-case letters, digits, dots, hyphens)`,
    );
  }
  return { bucket, prefix: parts.filter((p) => p !== '').join('/') };
}

/** Keys are relative and slash-separated; `..` or empty segments would address outside the prefix. */
function checkKey(key: string): string {
  if (key.startsWith('/') || key.split('/').some((p) => p === '..' || p === '.')) {
    throw new ConflictError(`Artifact key "${key}" escapes the artifact root`);
  }
  return key;
}

export class S3ArtifactStore implements ArtifactStore {
  readonly baseUri: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.baseUri = `s3://${this.bucket}${this.prefix === '' ? '' : `/${this.prefix}`}`;
    this.client = new S3Client({
      region: options.region ?? 'us-east-1',
      ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      maxAttempts: 4,
    });
  }

  private keyOf(key: string): string {
    const k = checkKey(key).replace(/^\/+/, '');
    return this.prefix === '' ? k : `${this.prefix}/${k}`;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key), Body: bytes }),
    );
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      const r = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }),
      );
      if (!r.Body) {
        return new Uint8Array();
      }
      return await r.Body.transformToByteArray();
    } catch (e) {
      if (e instanceof NoSuchKey || (e instanceof S3ServiceException && e.name === 'NoSuchKey')) {
        throw new ArtifactNotFoundError(key);
      }
      throw e;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
      return true;
    } catch (e) {
      if (
        e instanceof NotFound ||
        (e instanceof S3ServiceException && e.$metadata.httpStatusCode === 404)
      ) {
        return false;
      }
      throw e;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const base = this.keyOf(prefix).replace(/\/+$/, '');
    // A prefix names a folder: "runs/1" lists runs/1/..., never runs/10/...
    const listPrefix = base === '' ? '' : `${base}/`;
    const strip = this.prefix === '' ? 0 : this.prefix.length + 1;
    const out: string[] = [];
    let token: string | undefined;
    do {
      const r = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: listPrefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const o of r.Contents ?? []) {
        if (o.Key !== undefined) {
          out.push(o.Key.slice(strip));
        }
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return out.sort();
  }

  close(): void {
    this.client.destroy();
  }
}
