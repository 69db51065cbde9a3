// The AlertStore port: alerts raised by the alert rules, one open alert per key (deduplicated), acknowledged by a person, resolved when their condition stops.
import type { AlertCondition } from '../monitoring/index.js';

export const ALERT_STATES = ['active', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface AlertRecord extends AlertCondition {
  id: number;
  state: AlertState;
  raisedAt: number;
  /** The last evaluation that found the condition still holding. */
  lastSeenAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
}

export interface AlertQuery {
  /** `open` is active and acknowledged together. @defaultValue every state */
  state?: AlertState | 'open';
  /** @defaultValue 100 */
  limit?: number;
}

export interface AlertStore {
  /** Newest first. */
  list(query: AlertQuery): Promise<AlertRecord[]>;
  get(id: number): Promise<AlertRecord | null>;
  /**
   * Raises the condition: a new active alert, or, when one with its key is open, that alert with its message,
   * value and lastSeenAt brought up to date (`created` false).
   */
  raise(condition: AlertCondition, at: number): Promise<{ alert: AlertRecord; created: boolean }>;
  /** Resolves an open alert; null when it is not open. */
  resolve(id: number, at: number): Promise<AlertRecord | null>;
  /** Acknowledges an active alert (an acknowledged one stays as it was); null when it is not open. */
  acknowledge(id: number, by: string, at: number): Promise<AlertRecord | null>;
}
