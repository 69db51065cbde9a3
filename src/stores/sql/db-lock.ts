// Single-writer lock for an embedded database folder: PGlite must be opened by one process at a time.
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { StoreBusyError } from '../../core/index.js';

export interface LockInfo {
  pid: number;
  /**
   * When the holder started, in clock ticks since boot (Linux /proc/<pid>/stat field 22): a live process with the
   * same pid but another start time is a new process that reused the number, not the holder.
   */
  startTicks?: number;
  /** Set by a running server once it listens: other processes route their commands to it. */
  url?: string;
  role: 'server' | 'cli';
  since: number;
}

/** State and start time of a process from /proc (Linux); null where there is no /proc or no such process. */
function procStat(pid: number): { state: string; startTicks: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so fields are counted after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', startTicks: Number(fields[19]) };
}

/** This process's start time, recorded in the lock it takes. */
const OWN_START = procStat(process.pid)?.startTicks;

/**
 * Whether the process that wrote `info` still runs. Asked of the process itself, never of a timer, so a restart
 * right after a crash takes the lock at once: a SIGKILLed server is dead even while it is a zombie its parent has
 * not reaped yet (kill(pid, 0) still succeeds then), and a pid reused by another process (a container restarted
 * with the same pid, this very process included) is not the holder.
 */
function holderAlive(info: LockInfo): boolean {
  if (info.pid === process.pid) {
    // This process, or an earlier one that had the same pid (a restarted container).
    return info.startTicks === OWN_START;
  }
  try {
    process.kill(info.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') {
      return false;
    }
  }
  const stat = procStat(info.pid);
  if (stat === null) {
    // No /proc (macOS): kill(pid, 0) is all there is to go on.
    return true;
  }
  if (stat.state === 'Z' || stat.state === 'X') {
    return false;
  }
  return info.startTicks === undefined || info.startTicks === stat.startTicks;
}

export function readLock(lockPath: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(lockPath, 'utf8')) as LockInfo;
    return holderAlive(info) ? info : null;
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
    const info: LockInfo = {
      pid: process.pid,
      ...(OWN_START !== undefined ? { startTicks: OWN_START } : {}),
      role,
      since: Date.now(),
    };
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
        // A lock naming this process was not taken by this call: an earlier process with the same pid left it.
        if (holder && holder.pid !== process.pid) {
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
