import { inject, injectable } from '../infra/di.ts';
import { z } from 'zod';
import type { AuthInfo } from '../auth/auth-info.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { AppError, forbidden, notFound } from '../http/errors.ts';
import { ConversationQueries } from './conversation-queries.ts';

export const evaluationBody = z.strictObject({
  topic: z.string().trim().min(1).max(50).nullable(),
  valid: z.boolean().nullable(),
  note: z.string().trim().max(500).nullable(),
});

/** EVAL-BULK-7: one topic and validity for up to 100 conversations of the 等待评估 list; the summary stays empty. */
export const bulkEvaluationBody = z.strictObject({
  conversationIds: z.array(z.number().int().positive()).min(1).max(100),
  topic: z.string().trim().min(1).max(50),
  valid: z.boolean(),
});

/** EVAL-PENDING-6: entries older than this leave the 等待评估 list (history can still evaluate them). */
const AWAITING_DAYS = 30;

/**
 * Conversation evaluation (SPEC §2.4.2). Who may evaluate (EVAL-WHO-5): any
 * agent who served it (a serving segment, helpers excluded), admins, and
 * holders of history.evaluate; a conversation the caller cannot read is not found.
 */
@injectable()
export class EvaluationService {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(ConversationQueries) private readonly queries: ConversationQueries,
  ) {}

  async evaluate(auth: AuthInfo, conversationId: number, input: z.output<typeof evaluationBody>) {
    await this.assertMayEvaluate(auth, conversationId);
    await auth.tenant
      .q('conversations')
      .where({ id: conversationId })
      .update({ topic: input.topic, eval_valid: input.valid, eval_note: input.note, evaluated_at: this.clock.now(), evaluated_by: auth.agent.id });
    return this.view(auth, conversationId);
  }

  /** EVAL-BULK-7: each conversation answers on its own; one evaluated meanwhile is skipped with evaluation_changed. */
  async evaluateMany(auth: AuthInfo, input: z.output<typeof bulkEvaluationBody>) {
    const results: { conversationId: number; ok: boolean; error: string | null }[] = [];
    for (const conversationId of [...new Set(input.conversationIds)]) {
      try {
        await this.assertMayEvaluate(auth, conversationId);
        const n = await auth.tenant
          .q('conversations')
          .where({ id: conversationId })
          .whereNull('evaluated_at')
          .update({ topic: input.topic, eval_valid: input.valid, eval_note: null, evaluated_at: this.clock.now(), evaluated_by: auth.agent.id });
        results.push({ conversationId, ok: n > 0, error: n > 0 ? null : 'evaluation_changed' });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        results.push({ conversationId, ok: false, error: err.code });
      }
    }
    return { results };
  }

  async view(auth: AuthInfo, conversationId: number) {
    const row = await auth.tenant.q('conversations').where({ id: conversationId }).first('topic', 'eval_valid', 'eval_note', 'evaluated_at', 'evaluated_by');
    if (!row) throw notFound('Conversation not found');
    return {
      conversation: await this.queries.one(auth.tenant, conversationId),
      evaluation: {
        topic: row.topic,
        valid: row.eval_valid,
        note: row.eval_note,
        evaluatedAt: row.evaluated_at ? new Date(row.evaluated_at).toISOString() : null,
        evaluatedBy: row.evaluated_by ? Number(row.evaluated_by) : null,
      },
    };
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

  private async assertMayEvaluate(auth: AuthInfo, conversationId: number) {
    const conv = await auth.tenant.q('conversations').where({ id: conversationId }).first('agent_id');
    if (!conv) throw notFound('Conversation not found');
    if (Number(conv.agent_id) === auth.agent.id || (await servedBy(auth.tenant, conversationId, auth.agent.id))) return;
    if (auth.agent.role === 'admin' || auth.can('history.evaluate')) return;
    if (!auth.can('history.viewAll')) throw notFound('Conversation not found');
    throw forbidden('history.evaluate');
  }
}

/** A serving segment of this agent (CONV-TRANSFER-33): whoever served a stretch of it may evaluate it. */
async function servedBy(t: Tenant, conversationId: number, agentId: number): Promise<boolean> {
  return !!(await t.q('conversation_segments').where({ conversation_id: conversationId, agent_id: agentId }).first('id'));
}
