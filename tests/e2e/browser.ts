// Debian chromium for the browser tests: found on this machine (never playwright's download, which
// cannot work offline) and launched with flags that keep it off the network.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const CHROMIUM_MISSING =
  'Debian chromium is not installed: run `apt-get install -y chromium` (bash .ci/run does this)';

/** `CHROMIUM_PATH` when set, else `which chromium`; a clear error naming the fix when neither exists. */
export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) {
      throw new Error(`CHROMIUM_PATH is ${fromEnv}, which does not exist. ${CHROMIUM_MISSING}`);
    }
    return fromEnv;
  }
  try {
    const found = execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
    if (found !== '') {
      return found;
    }
  } catch {
    // `which` exits non-zero when it finds nothing; the error below says what to do.
  }
  throw new Error(CHROMIUM_MISSING);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
}
