// Unit tests of the reconnecting live socket: backoff, URLs, and the states it reports, on a fake WebSocket.
import { describe, expect, it, vi } from 'vitest';
import { backoffMs, liveUrl, openLiveSocket, type LiveStatus } from './live-socket';

class FakeSocket {
  static last: FakeSocket | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  close() {
    this.closed = true;
  }
}

describe('backoffMs', () => {
  it('doubles from 0.5 s to at most 15 s, less up to 30 % of jitter', () => {
    expect([1, 2, 3, 10].map((n) => backoffMs(n, () => 0))).toEqual([500, 1000, 2000, 15_000]);
    expect(backoffMs(1, () => 1)).toBe(350);
  });
});

describe('liveUrl', () => {
  it("is the channel's path on the page's host, secure when the page is, with the filter", () => {
    expect(liveUrl('predictions', { ticker: '^GSPC' }, { protocol: 'https:', host: 'x:1' })).toBe(
      'wss://x:1/ws/predictions?ticker=%5EGSPC',
    );
    expect(liveUrl('metrics', { instance: undefined }, { protocol: 'http:', host: 'h' })).toBe(
      'ws://h/ws/metrics',
    );
  });
});

describe('openLiveSocket', () => {
  it('reports open on the ready message, and reconnecting with a reason and a time when it closes', () => {
    vi.useFakeTimers();
    try {
      const statuses: LiveStatus[] = [];
      const messages: string[] = [];
      const stop = openLiveSocket({
        url: 'ws://h/ws/alerts',
        onMessage: (m) => messages.push(m.type),
        onStatus: (s) => statuses.push(s),
        WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
      });
      const first = FakeSocket.last;
      first?.onmessage?.({ data: JSON.stringify({ type: 'ready', instance: 'api-1' }) });
      first?.onmessage?.({ data: 'not json' });
      first?.onclose?.({ code: 1013 });
      expect(statuses.map((s) => s.state)).toEqual(['connecting', 'open', 'reconnecting']);
      expect(statuses[2]).toMatchObject({ attempt: 1, reason: 'server at its connection limit' });
      vi.advanceTimersByTime(20_000);
      expect(FakeSocket.last).not.toBe(first);
      expect(messages).toEqual(['ready']);
      stop();
      expect(FakeSocket.last?.closed).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
