// Contract every InvalidationBus adapter passes (in-process; Redis pub/sub in the stack tier).
import { afterEach, describe, expect, it } from 'vitest';
import type { Invalidation, InvalidationBus } from '../../src/core/index.js';

const until = async (cond: () => boolean, ms = 2000) => {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** `make` opens a bus; `peer` opens another process's view of the same channel, or null when there is none. */
export function invalidationBusContract(
  name: string,
  make: () => Promise<InvalidationBus>,
  peer: (() => Promise<InvalidationBus>) | null,
): void {
  describe(`InvalidationBus contract: ${name}`, () => {
    const open: InvalidationBus[] = [];
    const opened = async (f: () => Promise<InvalidationBus>) => {
      const b = await f();
      open.push(b);
      return b;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((b) => b.close()));
    });

    it('hands a message to its own subscribers before publish resolves', async () => {
      const bus = await opened(make);
      const got: Invalidation[] = [];
      bus.subscribe((i) => got.push(i));
      await bus.publish({ kind: 'champion', model: '^GSPC.h1' });
      expect(got[0]).toEqual({ kind: 'champion', model: '^GSPC.h1' });
    });

    it('stops delivering to an unsubscribed handler', async () => {
      const bus = await opened(make);
      const got: Invalidation[] = [];
      const off = bus.subscribe((i) => got.push(i));
      off();
      await bus.publish({ kind: 'bars', ticker: 'AAPL' });
      expect(got).toEqual([]);
    });

    if (peer) {
      it('delivers to another process on the same channel, and says it is listening', async () => {
        const a = await opened(make);
        const b = await opened(peer);
        expect(b.listening()).toBe(true);
        const got: Invalidation[] = [];
        b.subscribe((i) => got.push(i));
        await a.publish({ kind: 'bars', ticker: '2330.TW' });
        await until(() => got.length > 0);
        expect(got).toContainEqual({ kind: 'bars', ticker: '2330.TW' });
      });
    } else {
      it('says nobody else is heard, so caches keep re-reading', async () => {
        const bus = await opened(make);
        expect(bus.listening()).toBe(false);
      });
    }
  });
}
