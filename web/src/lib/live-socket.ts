// A WebSocket to one live channel of the contract that reconnects by itself, with exponential backoff and jitter,
// and says where it stands (open, or reconnecting in N s) so the page can show it. Hand-written: the browser's own
// WebSocket plus ~80 lines; the reconnecting-socket packages add an event model the page does not need.
import { liveChannels, WS_CLOSE_CODES, type LiveChannel, type LiveMessage } from '@stockops/api';

export type LiveStatus =
  | { state: 'connecting'; attempt: number }
  | { state: 'open'; instance: string | null }
  | { state: 'reconnecting'; attempt: number; retryAt: number; reason: string };

/** Waits before the n-th reconnection (n from 1): 0.5 s doubling to 15 s, with up to 30 % jitter so replicas are not hit at once. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(500 * 2 ** Math.max(attempt - 1, 0), 15_000);
  return Math.round(base * (1 - 0.3 * random()));
}

/** The channel's URL on the page's own host (ws: or wss: as the page), with its filter. */
export function liveUrl(
  channel: LiveChannel,
  filter: Record<string, string | undefined>,
  location: Pick<Location, 'protocol' | 'host'>,
): string {
  const query = new URLSearchParams(
    Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  ).toString();
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${liveChannels[channel].path}${query ? `?${query}` : ''}`;
}

function closeReason(code: number): string {
  switch (code) {
    case WS_CLOSE_CODES.tryAgainLater:
      return 'server at its connection limit';
    case WS_CLOSE_CODES.slowConsumer:
      return 'fell behind the stream';
    case WS_CLOSE_CODES.goingAway:
      return 'server restarting';
    default:
      return 'connection lost';
  }
}

export interface LiveSocketOptions {
  url: string;
  onMessage: (message: LiveMessage) => void;
  onStatus: (status: LiveStatus) => void;
  /** @defaultValue globalThis.WebSocket */
  WebSocketImpl?: typeof WebSocket;
}

/** Opens the socket and keeps it open until the returned function is called. */
export function openLiveSocket(o: LiveSocketOptions): () => void {
  const Impl = o.WebSocketImpl ?? WebSocket;
  let attempt = 0;
  let socket: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const connect = () => {
    o.onStatus({ state: 'connecting', attempt });
    const ws = new Impl(o.url);
    socket = ws;
    ws.onmessage = (e: MessageEvent<string>) => {
      let message: LiveMessage;
      try {
        message = JSON.parse(e.data) as LiveMessage;
      } catch {
        return;
      }
      if (message.type === 'ready') {
        attempt = 0;
        o.onStatus({ state: 'open', instance: message.instance });
      }
      o.onMessage(message);
    };
    ws.onclose = (e: CloseEvent) => {
      if (stopped) {
        return;
      }
      attempt++;
      // A full server is asked again later than a dropped line.
      const wait = backoffMs(e.code === WS_CLOSE_CODES.tryAgainLater ? attempt + 2 : attempt);
      o.onStatus({
        state: 'reconnecting',
        attempt,
        retryAt: Date.now() + wait,
        reason: closeReason(e.code),
      });
      timer = setTimeout(connect, wait);
    };
  };
  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    socket?.close(1000, 'page closed');
  };
}
