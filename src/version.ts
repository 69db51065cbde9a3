// The stockops release version, recorded on every tracked run.
export const STOCKOPS_VERSION = '0.1.0';
