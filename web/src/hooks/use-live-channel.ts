// Subscribes a component to one live channel for as long as it is mounted; gives the socket's state to show.
import type { LiveChannel, LiveMessage } from '@stockops/api';
import { useEffect, useRef, useState } from 'react';
import { liveUrl, openLiveSocket, type LiveStatus } from '../lib';

/** `onMessage` may change between renders; the socket is reopened only when the channel or filter does. */
export function useLiveChannel(
  channel: LiveChannel,
  filter: Record<string, string | undefined>,
  onMessage: (message: LiveMessage) => void,
): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>({ state: 'connecting', attempt: 0 });
  const handler = useRef(onMessage);
  useEffect(() => {
    handler.current = onMessage;
  });
  const filterKey = JSON.stringify(filter);
  useEffect(() => {
    const parsed = JSON.parse(filterKey) as Record<string, string | undefined>;
    return openLiveSocket({
      url: liveUrl(channel, parsed, window.location),
      onMessage: (m) => {
        handler.current(m);
      },
      onStatus: setStatus,
    });
  }, [channel, filterKey]);
  return status;
}
