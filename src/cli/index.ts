// Public surface of src/cli.
export { buildCli, main } from './main.js';
