// Public surface of the artifact store adapters.
export { FileArtifactStore } from './file-store.js';
export { parseS3Location, S3ArtifactStore, type S3StoreOptions } from './s3-store.js';
export { checkArtifactPath } from './artifact-path.js';
