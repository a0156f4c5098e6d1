import { inject, injectable } from '../infra/di.ts';
import { z } from 'zod';
import type { AuthInfo } from '../auth/auth-info.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { forbidden, notFound } from '../http/errors.ts';
import { ConversationQueries } from './conversation-queries.ts';

export const evaluationBody = z.strictObject({
  topic: z.string().trim().min(1).max(50).nullable(),
  valid: z.boolean().nullable(),
  note: z.string().trim().max(500).nullable(),
});

/**
 * Conversation evaluation (SPEC §2.4.2): the serving agent evaluates their own
 * conversations, active or ended; others need history.evaluate.
 */
@injectable()
export class EvaluationService {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(ConversationQueries) private readonly queries: ConversationQueries,
  ) {}

  async evaluate(auth: AuthInfo, conversationId: number, input: z.output<typeof evaluationBody>) {
    const t = auth.tenant;
    const conv = await t.q('conversations').where({ id: conversationId }).first('agent_id');
    if (!conv) throw notFound('Conversation not found');
    const own = Number(conv.agent_id) === auth.agent.id;
    if (!own && !auth.can('history.evaluate')) {
      if (!auth.can('history.viewAll')) throw notFound('Conversation not found');
      throw forbidden('history.evaluate');
    }
    await t
      .q('conversations')
      .where({ id: conversationId })
      .update({ topic: input.topic, eval_valid: input.valid, eval_note: input.note, evaluated_at: this.clock.now(), evaluated_by: auth.agent.id });
    return this.view(auth, conversationId);
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

  /** TOOLBAR-EVALPENDING-4: the agent's ended conversations not yet evaluated, newest first. */
  async awaiting(auth: AuthInfo, limit = 100) {
    return (
      await this.queries
        .base(auth.tenant)
        .where({ 'c.agent_id': auth.agent.id, 'c.status': 'ended' })
        .whereNull('c.evaluated_at')
        .orderBy('c.ended_at', 'desc')
        .limit(limit)
    ).map((r: any) => this.queries.map(r));
  }
}
