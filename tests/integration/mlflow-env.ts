// Where the real MLflow and MinIO servers of the stack tests are; a missing one fails naming its start script.
export function requireEnv<K extends string>(
  names: readonly K[],
  script: string,
): Record<K, string> {
  const out = {} as Record<K, string>;
  const missing: string[] = [];
  for (const n of names) {
    const v = process.env[n];
    if (v === undefined || v === '') {
      missing.push(n);
    } else {
      out[n] = v;
    }
  }
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(', ')} not set: start the server with ${script} and export what it prints (npm run test:stack does both)`,
    );
  }
  return out;
}

/** Fails with the start script's name when the server does not answer. */
export async function requireUp(url: string, script: string): Promise<void> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) {
      throw new Error(`HTTP ${res.status}`);
    }
  } catch (e) {
    throw new Error(
      `${url} does not answer (${e instanceof Error ? e.message : String(e)}): start it with ${script}`,
    );
  }
}

/** scripts/test-stack.sh exports it as STACK_MLFLOW_TRACKING_URI, so spawned stockops processes stay built-in. */
export const mlflowEnv = (): { MLFLOW_TRACKING_URI: string } => {
  const stack = process.env.STACK_MLFLOW_TRACKING_URI;
  if (stack !== undefined && stack !== '') {
    return { MLFLOW_TRACKING_URI: stack };
  }
  return requireEnv(['MLFLOW_TRACKING_URI'], 'scripts/services/mlflow.sh');
};

export const minioEnv = () =>
  requireEnv(
    ['S3_ENDPOINT', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'S3_BUCKET'],
    'scripts/services/minio.sh',
  );

/** A fresh name prefix, so each suite sees only its own experiments and models on the shared server. */
export const uniquePrefix = (tag: string) =>
  `${tag}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}-`;
