// Public surface of the artifact store adapters.
export { FileArtifactStore } from './file-store.js';
