// Contract of AliasLog.move/repair with every registry it fronts: no alias move without its audit record, even across a crash.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AliasLog, Registry } from '../../src/core/index.js';

const move = (version: number, reason = 'test') => ({
  name: 'M.h1',
  alias: 'champion',
  version,
  actor: 'test',
  reason,
  metrics: { rmse: 0.1 },
});

/** A registry whose setAlias never returns: the process "dies" there, after or before the real move. */
function stalled(registry: Registry, moveFirst: boolean): Registry {
  return new Proxy(registry, {
    get(target, prop, receiver) {
      if (prop === 'setAlias') {
        return async (name: string, alias: string, version: number) => {
          if (moveFirst) {
            await target.setAlias(name, alias, version);
          }
          return new Promise<void>(() => undefined);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

export function aliasLogContract(
  name: string,
  make: () => Promise<{ registry: Registry; log: AliasLog; separate: boolean }>,
): void {
  describe(`AliasLog.move contract: ${name}`, () => {
    let registry: Registry;
    let log: AliasLog;
    let separate: boolean;
    beforeEach(async () => {
      ({ registry, log, separate } = await make());
      await registry.createVersion({ name: 'M.h1', source: 'runs:/a/model', runId: 'a' });
      await registry.createVersion({ name: 'M.h1', source: 'runs:/b/model', runId: 'b' });
    });

    it('moves the alias and records who, why, from and to; a move to where it is records nothing', async () => {
      expect(await log.move(registry, move(1))).toMatchObject({ fromVersion: null, toVersion: 1 });
      expect(await log.move(registry, move(2, 'better'))).toMatchObject({
        fromVersion: 1,
        toVersion: 2,
        reason: 'better',
      });
      expect(await log.move(registry, move(2))).toBeNull();
      expect((await registry.getVersionByAlias('M.h1', 'champion'))?.version).toBe(2);
      expect((await log.list('M.h1')).map((e) => e.toVersion)).toEqual([2, 1]);
    });

    it('records nothing when the move is refused (unknown version)', async () => {
      await expect(log.move(registry, move(9))).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
      expect(await log.list('M.h1')).toEqual([]);
      expect(await registry.getVersionByAlias('M.h1', 'champion')).toBeNull();
    });

    it('leaves the alias where it was when its record cannot be written', async () => {
      // PostgreSQL text cannot hold NUL: the record fails, and the move must not happen without it.
      await expect(log.move(registry, move(1, 'bad\u0000reason'))).rejects.toThrow();
      expect(await registry.getVersionByAlias('M.h1', 'champion')).toBeNull();
      expect(await log.list('M.h1')).toEqual([]);
    });

    it('settles a move a crash cut short: confirmed if the alias moved, dropped if not', async () => {
      if (!separate) {
        // Same store: record and move are one transaction, which a crash rolls back whole; nothing to settle.
        expect(await log.repair(registry)).toEqual({ confirmed: 0, dropped: 0 });
        return;
      }
      // The record is written before the move; a crash between them leaves it pending.
      void log.move(stalled(registry, false), move(2, 'crashed before moving'));
      await new Promise((r) => setTimeout(r, 200));
      void log.move(stalled(registry, true), move(1, 'moved, then crashed'));
      await new Promise((r) => setTimeout(r, 200));
      expect(await log.list('M.h1')).toEqual([]);
      expect(await log.repair(registry)).toEqual({ confirmed: 1, dropped: 1 });
      expect((await registry.getVersionByAlias('M.h1', 'champion'))?.version).toBe(1);
      expect((await log.list('M.h1')).map((e) => e.reason)).toEqual(['moved, then crashed']);
    });
  });
}
