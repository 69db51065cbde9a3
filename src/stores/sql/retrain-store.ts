// The retrain policy's records on SQL: every decision with its rule and numbers, the settings stored by the API, and promotions held for approval.
import {
  checkRetrainPolicy,
  type ApprovalState,
  type ApprovalStore,
  type PromotionApproval,
  type RetrainDecisionQuery,
  type RetrainDecisionRecord,
  type RetrainDecisionStore,
  type RetrainPolicySettings,
  type RetrainPolicyStore,
  type RetrainRule,
  type RetrainSuppression,
  type StoredRetrainPolicy,
} from '../../core/index.js';
import type { SqlClient } from './client.js';

interface DecisionRow {
  id: string | number;
  model_name: string;
  ticker: string;
  horizon: number;
  model_version: number | null;
  decided_at: string | number;
  retrain: boolean;
  rule: string | null;
  fired: string;
  suppressed_by: string | null;
  reason: string;
  numbers: string;
  report_id: string | number | null;
  monitor_run_id: string | null;
  train_run_id: string | null;
}

const decisionOf = (r: DecisionRow): RetrainDecisionRecord => ({
  id: Number(r.id),
  model: r.model_name,
  ticker: r.ticker,
  horizon: r.horizon,
  version: r.model_version,
  decidedAt: Number(r.decided_at),
  retrain: r.retrain,
  rule: r.rule as RetrainRule | null,
  fired: JSON.parse(r.fired) as RetrainRule[],
  suppressedBy: r.suppressed_by as RetrainSuppression | null,
  reason: r.reason,
  numbers: JSON.parse(r.numbers) as Record<string, number>,
  reportId: r.report_id === null ? null : Number(r.report_id),
  monitorRunId: r.monitor_run_id,
  trainRunId: r.train_run_id,
});

export class SqlRetrainDecisionStore implements RetrainDecisionStore {
  constructor(private readonly db: SqlClient) {}

  async record(d: Omit<RetrainDecisionRecord, 'id'>): Promise<RetrainDecisionRecord> {
    const rows = await this.db.query<{ id: string | number }>(
      `insert into retrain_decisions (model_name, ticker, horizon, model_version, decided_at, retrain, rule, fired,
         suppressed_by, reason, numbers, report_id, monitor_run_id, train_run_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning id`,
      [
        d.model,
        d.ticker,
        d.horizon,
        d.version,
        d.decidedAt,
        d.retrain,
        d.rule,
        JSON.stringify(d.fired),
        d.suppressedBy,
        d.reason,
        JSON.stringify(d.numbers),
        d.reportId,
        d.monitorRunId,
        d.trainRunId,
      ],
    );
    return { ...d, id: Number(rows[0]?.id) };
  }

  async list(q: RetrainDecisionQuery): Promise<RetrainDecisionRecord[]> {
    const rows = await this.db.query<DecisionRow>(
      `select * from retrain_decisions
       where ($1::text is null or model_name = $1) and (not $2::boolean or retrain)
       order by id desc limit $3`,
      [q.model ?? null, q.retrainsOnly === true, q.limit ?? 50],
    );
    return rows.map(decisionOf);
  }

  async countRetrainsSince(since: number): Promise<number> {
    const rows = await this.db.query<{ n: string | number }>(
      'select count(*) as n from retrain_decisions where retrain and decided_at >= $1',
      [since],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async setTrainRun(id: number, trainRunId: string | null): Promise<void> {
    await this.db.query('update retrain_decisions set train_run_id = $2 where id = $1', [
      id,
      trainRunId,
    ]);
  }
}

export class SqlRetrainPolicyStore implements RetrainPolicyStore {
  constructor(private readonly db: SqlClient) {}

  async get(): Promise<StoredRetrainPolicy | null> {
    const rows = await this.db.query<{
      settings: string;
      updated_at: string | number;
      updated_by: string;
    }>('select settings, updated_at, updated_by from retrain_policy where id = 1');
    const r = rows[0];
    if (!r) {
      return null;
    }
    // Settings stored by an older version may lack a field added since: the defaults fill it.
    return {
      settings: checkRetrainPolicy(JSON.parse(r.settings) as unknown),
      updatedAt: Number(r.updated_at),
      updatedBy: r.updated_by,
    };
  }

  async save(
    settings: RetrainPolicySettings,
    by: string,
    at: number,
  ): Promise<StoredRetrainPolicy> {
    await this.db.query(
      `insert into retrain_policy (id, settings, updated_at, updated_by) values (1, $1, $2, $3)
       on conflict (id) do update set settings = excluded.settings, updated_at = excluded.updated_at,
         updated_by = excluded.updated_by`,
      [JSON.stringify(settings), at, by],
    );
    return { settings, updatedAt: at, updatedBy: by };
  }
}

interface ApprovalRow {
  id: string | number;
  model_name: string;
  version: number;
  run_id: string;
  gate_decision: string;
  requested_at: string | number;
  expires_at: string | number;
  state: string;
  decided_at: string | number | null;
  decided_by: string | null;
  outcome: string | null;
}

const approvalOf = (r: ApprovalRow): PromotionApproval => ({
  id: Number(r.id),
  model: r.model_name,
  version: r.version,
  runId: r.run_id,
  gateDecision: r.gate_decision,
  requestedAt: Number(r.requested_at),
  expiresAt: Number(r.expires_at),
  state: r.state as ApprovalState,
  decidedAt: r.decided_at === null ? null : Number(r.decided_at),
  decidedBy: r.decided_by,
  outcome: r.outcome,
});

export class SqlApprovalStore implements ApprovalStore {
  constructor(private readonly db: SqlClient) {}

  async create(
    a: Omit<PromotionApproval, 'id' | 'state' | 'decidedAt' | 'decidedBy' | 'outcome'>,
  ): Promise<PromotionApproval> {
    const rows = await this.db.query<ApprovalRow>(
      `insert into promotion_approvals (model_name, version, run_id, gate_decision, requested_at, expires_at, state)
       values ($1, $2, $3, $4, $5, $6, 'pending') returning *`,
      [a.model, a.version, a.runId, a.gateDecision, a.requestedAt, a.expiresAt],
    );
    return approvalOf(rows[0] as ApprovalRow);
  }

  async get(id: number): Promise<PromotionApproval | null> {
    const rows = await this.db.query<ApprovalRow>(
      'select * from promotion_approvals where id = $1',
      [id],
    );
    return rows[0] ? approvalOf(rows[0]) : null;
  }

  async list(q: {
    state?: ApprovalState;
    model?: string;
    limit?: number;
  }): Promise<PromotionApproval[]> {
    const rows = await this.db.query<ApprovalRow>(
      `select * from promotion_approvals where ($1::text is null or state = $1)
         and ($2::text is null or model_name = $2) order by id desc limit $3`,
      [q.state ?? null, q.model ?? null, q.limit ?? 100],
    );
    return rows.map(approvalOf);
  }

  async settle(
    id: number,
    patch: {
      state: Exclude<ApprovalState, 'pending'>;
      decidedAt: number;
      decidedBy: string;
      outcome: string;
    },
  ): Promise<PromotionApproval | null> {
    const rows = await this.db.query<ApprovalRow>(
      `update promotion_approvals set state = $2, decided_at = $3, decided_by = $4, outcome = $5
       where id = $1 and state = 'pending' returning *`,
      [id, patch.state, patch.decidedAt, patch.decidedBy, patch.outcome],
    );
    return rows[0] ? approvalOf(rows[0]) : null;
  }
}
