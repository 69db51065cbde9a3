// DbLock: a lock left by a dead process is taken over at once, judged by the process itself, never by a timer.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DbLock, readLock } from './db-lock.js';

const lockPath = () => join(mkdtempSync(join(tmpdir(), 'stockops-lock-')), 'db.lock');

/** Blocks this thread (and so libuv's reaping of children) for `ms`. */
const block = (ms: number) => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

describe('DbLock', () => {
  it('takes over at once the lock of a killed server that is still an unreaped zombie', () => {
    const child = spawn(process.execPath, ['-e', 'process.exit(0)'], { stdio: 'ignore' });
    // The child exits while this thread is blocked, so nothing reaps it: kill(pid, 0) still succeeds on it.
    block(1500);
    const path = lockPath();
    writeFileSync(path, JSON.stringify({ pid: child.pid, role: 'server', since: Date.now() }));
    const lock = DbLock.acquire(path, 'server');
    expect(readLock(path)?.pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock naming this very pid (a container restarted with the same pid)', () => {
    const path = lockPath();
    writeFileSync(
      path,
      JSON.stringify({ pid: process.pid, role: 'server', since: 1, startTicks: 1 }),
    );
    expect(() => {
      DbLock.acquire(path, 'server').release();
    }).not.toThrow();
  });

  it('refuses while the holder runs, naming it', () => {
    const path = lockPath();
    // The parent of this test process is alive and is not this process.
    writeFileSync(path, JSON.stringify({ pid: process.ppid, role: 'server', since: Date.now() }));
    expect(() => DbLock.acquire(path, 'cli')).toThrow(
      new RegExp(`in use by server process ${process.ppid}`),
    );
  });
});
