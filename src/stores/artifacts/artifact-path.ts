// The rule every tracker applies to a run's artifact paths, whichever backend stores them.
import { ConflictError } from '../../core/index.js';

/** Artifact paths are relative and slash-separated; `..` or absolute paths would escape the run's folder. */
export function checkArtifactPath(path: string): string {
  const parts = path.split('/');
  if (
    path === '' ||
    path.startsWith('/') ||
    parts.some((p) => p === '..' || p === '.' || p === '')
  ) {
    throw new ConflictError(
      `Artifact path "${path}" must be relative, without "." or ".." segments`,
    );
  }
  return path;
}
