import { inject, injectable } from '../infra/di.ts';
import { z } from 'zod';
import type { AuthInfo } from '../auth/auth-info.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { AppError, conflict, fieldError, forbidden, notFound } from '../http/errors.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { filteredConversations } from '../history/history-query.ts';
import { HistoryService } from '../history/history-service.ts';
import { TopicService } from '../agent-tools/topic-service.ts';
import { ConversationQueries } from './conversation-queries.ts';

/** EVAL-FORM-1: the 对话评估 form; `version` is the one the form was loaded with (409 evaluation_changed when stale). */
export const evaluationBody = z.strictObject({
  topic: z.string().trim().min(1).max(50),
  valid: z.boolean().default(true),
  valuable: z.boolean().default(false),
  /** 对话小结, the manual's 备注 (HISTORY-EVALUATE-8). */
  note: z.string().trim().max(1000).nullable().default(null),
  version: z.number().int().min(0),
});

/** EVAL-BULK-7: one topic, validity and valuable flag for up to 100 conversations of the 等待评估 list; the summary stays empty. */
export const bulkEvaluationBody = z.strictObject({
  conversationIds: z.array(z.number().int().positive()).min(1).max(100),
  topic: z.string().trim().min(1).max(50),
  valid: z.boolean(),
  valuable: z.boolean().default(false),
});

const evaluationValues = z.object({ topic: z.string().nullable(), valid: z.boolean().nullable(), valuable: z.boolean(), note: z.string().nullable() });
type EvaluationValues = z.output<typeof evaluationValues>;

export const evaluationView = evaluationValues.extend({
  /** 0 until the first save. */
  version: z.number(),
  evaluatedAt: z.string().nullable(),
  evaluatedBy: z.number().nullable(),
  /** The visitor's latest rating (EVAL-RATING-8), never editable here. */
  rating: z.number().nullable(),
  /** HISTORY-LOCK-9: past the editable window nobody can change it. */
  locked: z.boolean(),
});

/** 修改记录: one entry per save, oldest first. */
export const evaluationChange = z.object({
  version: z.number(),
  agent: z.object({ id: z.number(), nickname: z.string().nullable() }).nullable(),
  at: z.string(),
  old: evaluationValues.nullable(),
  new: evaluationValues,
});

/** EVAL-PENDING-6: entries older than this leave the 等待评估 list (history can still evaluate them). */
const AWAITING_DAYS = 30;

const EVAL_COLUMNS = ['topic', 'eval_valid', 'eval_valuable', 'eval_note', 'eval_version', 'evaluated_at', 'evaluated_by', 'rating', 'ended_at'];
const valuesOf = (r: any): EvaluationValues => ({
  topic: r.topic ?? null,
  valid: r.eval_valid ?? null,
  valuable: !!r.eval_valuable,
  note: r.eval_note ?? null,
});
const stale = (current: unknown) => conflict('evaluation_changed', 'Someone else changed this evaluation meanwhile', { current });

/**
 * Conversation evaluation (SPEC §2.4.2, HISTORY-EVALUATE-8). Who may evaluate (EVAL-WHO-5): any
 * agent who served it (a serving segment, helpers excluded), admins, and holders of history.evaluate
 * for conversations they may read in history; a conversation the caller cannot read is not found.
 * Every save bumps a version, keeps the old and new values, and fires `conversation.evaluated`.
 */
@injectable()
export class EvaluationService {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(ConversationQueries) private readonly queries: ConversationQueries,
    @inject(HistoryService) private readonly history: HistoryService,
    @inject(HookRegistry) private readonly hooks: HookRegistry,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(TopicService) private readonly topics: TopicService,
  ) {}

  async evaluate(auth: AuthInfo, conversationId: number, input: z.output<typeof evaluationBody>) {
    await this.assertMayEvaluate(auth, conversationId);
    await this.assertTopic(auth.tenant, input.topic);
    const values: EvaluationValues = { topic: input.topic, valid: input.valid, valuable: input.valuable, note: input.note || null };
    const version = await auth.tenant.transaction(async (t) => {
      const row = await t.q('conversations').where({ id: conversationId }).forUpdate().first(EVAL_COLUMNS);
      return Number(row.eval_version) === input.version ? this.write(t, auth, conversationId, row, values) : null;
    });
    if (version === null) throw stale((await this.view(auth, conversationId)).evaluation);
    await this.saved(auth, conversationId, version, values);
    return this.view(auth, conversationId);
  }

  /** EVAL-BULK-7: each conversation answers on its own; one evaluated meanwhile is skipped with evaluation_changed. */
  async evaluateMany(auth: AuthInfo, input: z.output<typeof bulkEvaluationBody>) {
    await this.assertTopic(auth.tenant, input.topic);
    const values: EvaluationValues = { topic: input.topic, valid: input.valid, valuable: input.valuable, note: null };
    const results: { conversationId: number; ok: boolean; error: string | null }[] = [];
    for (const conversationId of [...new Set(input.conversationIds)]) {
      try {
        await this.assertMayEvaluate(auth, conversationId);
        const version = await auth.tenant.transaction(async (t) => {
          const row = await t.q('conversations').where({ id: conversationId }).forUpdate().first(EVAL_COLUMNS);
          return row.evaluated_at ? null : this.write(t, auth, conversationId, row, values);
        });
        if (version !== null) await this.saved(auth, conversationId, version, values);
        results.push({ conversationId, ok: version !== null, error: version !== null ? null : 'evaluation_changed' });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        results.push({ conversationId, ok: false, error: err.code });
      }
    }
    return { results };
  }

  /** The form's current values, its version and the 修改记录 (HISTORY-DETAIL-6, EVAL-HISTORY-4). */
  async view(auth: AuthInfo, conversationId: number) {
    const row = await auth.tenant.q('conversations').where({ id: conversationId }).first(EVAL_COLUMNS);
    if (!row) throw notFound('Conversation not found');
    return {
      conversation: await this.queries.one(auth.tenant, conversationId),
      evaluation: await this.evaluation(auth.tenant, row),
      changes: await this.changes(auth.tenant, conversationId),
    };
  }

  /** Reading follows history's rule (HISTORY-VISIBILITY-5), plus whoever served it. */
  async viewVisible(auth: AuthInfo, conversationId: number) {
    if (!(await this.served(auth, conversationId)) && !(await this.visible(auth, conversationId))) throw notFound('Conversation not found');
    return this.view(auth, conversationId);
  }

  /**
   * TOOLBAR-EVALPENDING-4, EVAL-PENDING-6: ended in the last 30 days by the agent
   * serving at the end, not evaluated, with at least one visitor message (an
   * ignored proactive chat or one ended in the queue never enters it). Newest first.
   */
  async awaiting(auth: AuthInfo, limit = 100) {
    const since = new Date(this.clock.now().getTime() - AWAITING_DAYS * 86_400_000);
    return (
      await this.queries
        .base(auth.tenant)
        .where({ 'c.agent_id': auth.agent.id, 'c.status': 'ended' })
        .whereNull('c.evaluated_at')
        .where('c.ended_at', '>', since)
        .whereExists((q) =>
          q.select(1).from('messages as m').whereRaw('m.conversation_id = c.id').where({ 'm.company_id': auth.companyId, 'm.sender_kind': 'visitor' }),
        )
        .orderBy('c.ended_at', 'desc')
        .limit(limit)
    ).map((r: any) => this.queries.map(r));
  }

  private async write(t: Tenant, auth: AuthInfo, conversationId: number, row: any, values: EvaluationValues) {
    const version = Number(row.eval_version) + 1;
    await t.q('conversations').where({ id: conversationId }).update({
      topic: values.topic,
      eval_valid: values.valid,
      eval_valuable: values.valuable,
      eval_note: values.note,
      eval_version: version,
      evaluated_at: this.clock.now(),
      evaluated_by: auth.agent.id,
    });
    await t.insert('conversation_evaluations', {
      conversation_id: conversationId,
      agent_id: auth.agent.id,
      version,
      old_values: row.evaluated_at ? JSON.stringify(valuesOf(row)) : null,
      new_values: JSON.stringify(values),
      created_at: this.clock.now(),
    });
    return version;
  }

  /** After commit: reports follow the hook; open consoles reload the conversation within a second. */
  private async saved(auth: AuthInfo, conversationId: number, version: number, v: EvaluationValues) {
    await this.hooks.emit(
      'conversation.evaluated',
      { conversationId, agentId: auth.agent.id, version, topic: v.topic!, valid: v.valid!, valuable: v.valuable },
      { companyId: auth.companyId, actor: { kind: 'agent', id: auth.agent.id } },
    );
    this.notifier.toAgents(rooms.company(auth.companyId), 'conversation.evaluated', { conversationId, version });
  }

  private async evaluation(t: Tenant, row: any): Promise<z.output<typeof evaluationView>> {
    const { editableAfter } = await this.history.companyRules(t);
    return {
      ...valuesOf(row),
      version: Number(row.eval_version),
      evaluatedAt: row.evaluated_at ? new Date(row.evaluated_at).toISOString() : null,
      evaluatedBy: row.evaluated_by ? Number(row.evaluated_by) : null,
      rating: row.rating == null ? null : Number(row.rating),
      locked: row.ended_at != null && new Date(row.ended_at) < editableAfter,
    };
  }

  private async changes(t: Tenant, conversationId: number): Promise<z.output<typeof evaluationChange>[]> {
    const rows = await t
      .q('conversation_evaluations as e')
      .leftJoin('agents as a', 'a.id', 'e.agent_id')
      .where({ 'e.conversation_id': conversationId })
      .orderBy('e.version')
      .select('e.version', 'e.agent_id', 'a.nickname', 'e.old_values', 'e.new_values', 'e.created_at');
    return rows.map((r: any) => ({
      version: Number(r.version),
      agent: r.agent_id ? { id: Number(r.agent_id), nickname: r.nickname ?? null } : null,
      at: new Date(r.created_at).toISOString(),
      old: r.old_values ?? null,
      new: r.new_values,
    }));
  }

  /** CHATSET-TOPICS-4: only a topic of the company's list; a deleted one is refused by name (EVAL-FORM-1). */
  private async assertTopic(t: Tenant, topic: string) {
    const named = (await this.topics.list(t, true)).filter((x) => x.name === topic);
    if (!named.length) throw fieldError('topic', 'unknown_topic', 'Not one of the company’s topics');
    if (named.every((x) => x.deleted)) throw fieldError('topic', 'topic_deleted', 'This topic was deleted');
  }

  private async assertMayEvaluate(auth: AuthInfo, conversationId: number) {
    const conv = await auth.tenant.q('conversations').where({ id: conversationId }).first('ended_at');
    if (!conv) throw notFound('Conversation not found');
    if (!(await this.served(auth, conversationId))) {
      if (!(await this.visible(auth, conversationId))) throw notFound('Conversation not found');
      if (auth.agent.role !== 'admin' && !auth.can('history.evaluate')) throw forbidden('history.evaluate');
    }
    const { editableAfter } = await this.history.companyRules(auth.tenant);
    if (conv.ended_at && new Date(conv.ended_at) < editableAfter)
      throw conflict('conversation_archived', 'This conversation ended before the editable window; it can only be viewed');
  }

  private served(auth: AuthInfo, conversationId: number) {
    return servedBy(auth.tenant, conversationId, auth.agent.id);
  }

  private async visible(auth: AuthInfo, conversationId: number) {
    const q = filteredConversations(auth.tenant, this.history.viewer(auth), { conversationId, keywordIn: 'all' }, null);
    return !!(await q.first('c.id'));
  }
}

/** The agent serving now, or a serving segment of theirs (CONV-TRANSFER-33): whoever served a stretch of it may evaluate it. */
async function servedBy(t: Tenant, conversationId: number, agentId: number): Promise<boolean> {
  if (await t.q('conversations').where({ id: conversationId, agent_id: agentId }).first('id')) return true;
  return !!(await t.q('conversation_segments').where({ conversation_id: conversationId, agent_id: agentId }).first('id'));
}
