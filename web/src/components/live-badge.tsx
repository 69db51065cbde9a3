// Where a live socket stands: live (with the process it is connected to), connecting, or reconnecting in N s and why.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LiveStatus } from '../lib';

export function LiveBadge({ status }: { status: LiveStatus }) {
  const { t } = useTranslation();
  // Re-renders the countdown twice a second; the time itself is read at each render.
  const [, setTick] = useState(0);
  useEffect(() => {
    if (status.state !== 'reconnecting') {
      return;
    }
    const t = setInterval(() => {
      setTick((n) => n + 1);
    }, 500);
    return () => {
      clearInterval(t);
    };
  }, [status]);
  switch (status.state) {
    case 'open':
      return (
        <span className="live-badge live-open" role="status" data-testid="live-status">
          <span className="live-dot" aria-hidden="true" /> {t('live.badgeLive')}
          {status.instance !== null && <span className="muted"> · {status.instance}</span>}
        </span>
      );
    case 'connecting':
      return (
        <span className="live-badge live-wait" role="status" data-testid="live-status">
          <span className="live-dot" aria-hidden="true" /> {t('live.badgeConnecting')}
        </span>
      );
    case 'reconnecting': {
      const seconds = Math.max(0, Math.ceil((status.retryAt - Date.now()) / 1000));
      return (
        <span className="live-badge live-down" role="status" data-testid="live-status">
          <span className="live-dot" aria-hidden="true" />{' '}
          {t('live.badgeReconnecting', { seconds, reason: status.reason, attempt: status.attempt })}
        </span>
      );
    }
  }
}
