// Single-writer lock for an embedded database folder: PGlite must be opened by one process at a time.
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { StoreBusyError } from '../../core/index.js';

export interface LockInfo {
  pid: number;
  /** Set by a running server once it listens: other processes route their commands to it. */
  url?: string;
  role: 'server' | 'cli';
  since: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(lockPath: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(lockPath, 'utf8')) as LockInfo;
    return alive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

export class DbLock {
  private constructor(
    readonly path: string,
    private info: LockInfo,
  ) {}

  /** Takes the lock, replacing one left by a dead process; throws StoreBusyError if a live process holds it. */
  static acquire(lockPath: string, role: LockInfo['role']): DbLock {
    const info: LockInfo = { pid: process.pid, role, since: Date.now() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(lockPath, 'wx');
        writeSync(fd, JSON.stringify(info));
        closeSync(fd);
        return new DbLock(lockPath, info);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw e;
        }
        const holder = readLock(lockPath);
        if (holder) {
          throw new StoreBusyError(
            `The embedded database is in use by ${holder.role} process ${holder.pid}` +
              (holder.url ? ` (serving ${holder.url})` : '') +
              '; PGlite allows one process per data folder. Stop it, wait for it to finish, or use DATABASE_URL=postgres://... for several processes.',
          );
        }
        rmSync(lockPath, { force: true });
      }
    }
    throw new StoreBusyError(`Could not take the database lock ${lockPath}`);
  }

  advertise(url: string): void {
    this.info = { ...this.info, url };
    writeFileSync(this.path, JSON.stringify(this.info));
  }

  release(): void {
    const holder = readLock(this.path);
    if (holder?.pid === process.pid) {
      rmSync(this.path, { force: true });
    }
  }
}
