// The RetrainDecisionStore port: every decision of the retrain policy, retrain or not, with its rule and numbers; the stored policy settings; held promotions.
import type {
  RetrainPolicySettings,
  RetrainRule,
  RetrainSuppression,
} from '../monitoring/index.js';

export interface RetrainDecisionRecord {
  id: number;
  model: string;
  ticker: string;
  horizon: number;
  /** The champion version the decision was about (null when the model had none). */
  version: number | null;
  decidedAt: number;
  retrain: boolean;
  rule: RetrainRule | null;
  fired: RetrainRule[];
  suppressedBy: RetrainSuppression | null;
  reason: string;
  numbers: Record<string, number>;
  /** The monitoring report it followed, and the monitor flow run. */
  reportId: number | null;
  monitorRunId: string | null;
  /** The `train` flow run it started. */
  trainRunId: string | null;
}

export interface RetrainDecisionQuery {
  model?: string;
  /** Only decisions that started a retrain. @defaultValue false */
  retrainsOnly?: boolean;
  /** @defaultValue 50 */
  limit?: number;
}

export interface RetrainDecisionStore {
  record(decision: Omit<RetrainDecisionRecord, 'id'>): Promise<RetrainDecisionRecord>;
  /** Newest first. */
  list(query: RetrainDecisionQuery): Promise<RetrainDecisionRecord[]>;
  /** Decisions that started a retrain at or after `since`, all models. */
  countRetrainsSince(since: number): Promise<number>;
  /** Records the train flow run a decision started (or null when it could not start one). */
  setTrainRun(id: number, trainRunId: string | null): Promise<void>;
}

/** The retrain policy as stored by PUT /api/retrain-policy, over the environment's. */
export interface StoredRetrainPolicy {
  settings: RetrainPolicySettings;
  updatedAt: number;
  updatedBy: string;
}

export interface RetrainPolicyStore {
  get(): Promise<StoredRetrainPolicy | null>;
  save(settings: RetrainPolicySettings, by: string, at: number): Promise<StoredRetrainPolicy>;
}

export const APPROVAL_STATES = ['pending', 'approved', 'rejected', 'expired'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

/** A retrain's promotion held for a person: the gate said promote, the champion waits. */
export interface PromotionApproval {
  id: number;
  model: string;
  /** The version the gate would promote, and the run that trained it. */
  version: number;
  runId: string;
  /** The gate's decision when the promotion was held. */
  gateDecision: string;
  requestedAt: number;
  expiresAt: number;
  state: ApprovalState;
  decidedAt: number | null;
  /** Who approved or rejected it (`timeout` when nobody did in time). */
  decidedBy: string | null;
  /** What came of it: the gate's decision when approved, or why it was rejected. */
  outcome: string | null;
}

export interface ApprovalStore {
  create(
    a: Omit<PromotionApproval, 'id' | 'state' | 'decidedAt' | 'decidedBy' | 'outcome'>,
  ): Promise<PromotionApproval>;
  get(id: number): Promise<PromotionApproval | null>;
  /** Newest first. */
  list(query: {
    state?: ApprovalState;
    model?: string;
    limit?: number;
  }): Promise<PromotionApproval[]>;
  /**
   * Settles a pending approval; null when it is no longer pending (someone else settled it first), so it is
   * settled once.
   */
  settle(
    id: number,
    patch: {
      state: Exclude<ApprovalState, 'pending'>;
      decidedAt: number;
      decidedBy: string;
      outcome: string;
    },
  ): Promise<PromotionApproval | null>;
}
