import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { conflict } from '../http/errors.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { textFor } from '../policies/policy-settings-schema.ts';
import { QUEUE_FULL_TEXT } from './chat-settings.ts';
import { QUEUE_CLASS, RoutingService } from './routing-service.ts';

/**
 * What a new request meets before it waits (ASSIGN-OVERFLOW-10, ASSIGN-QUEUE-8):
 * the scope's queue limit, the deadline of its maximum wait, and its class.
 */
@injectable()
export class QueueLimits {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(RoutingService) private readonly routing: RoutingService,
  ) {}

  /**
   * A web visitor's request meeting `maxQueue` requests already waiting in its scope
   * and no agent free to take it goes to the leave-message form: `409 queue_full`
   * whose message is the company's text in the visitor's language. Otherwise the
   * time its maximum wait runs out (null: unlimited). Two nodes admitting at the
   * same instant may each let one request past the limit; nothing is lost by that.
   */
  async admit(companyId: number, visitor: { id: number; channel: string }, groupId: number | null): Promise<{ queueDueAt: Date | null }> {
    const settings = await this.routing.settings(companyId);
    if (visitor.channel === 'web') {
      const t = new Tenant(this.db, companyId);
      const [{ n }] = await t.q('conversations').where({ status: 'queued', group_id: groupId }).whereNull('served_by_plugin').count<{ n: string }[]>('* as n');
      if (Number(n) >= settings.maxQueue && !(await this.routing.eligible(companyId, groupId, settings)).length) {
        const [who, company] = await Promise.all([
          t.q('visitors').where({ id: visitor.id }).first('language'),
          t.unscoped('companies').where({ id: companyId }).first('visitor_language'),
        ]);
        const text = textFor(settings.queueFullText, QUEUE_FULL_TEXT, who?.language ?? null, company?.visitor_language ?? 'zh-CN');
        throw conflict('queue_full', text, { leaveMessage: true });
      }
    }
    const max = settings.maxWaitSeconds;
    return { queueDueAt: max ? new Date(this.clock.now().getTime() + max * 1000) : null };
  }

  /** Puts a priority visitor's new request ahead of the others (ASSIGN-QUEUE-8). */
  async classify(companyId: number, conv: { id: number; visitor_id: number; channel: string; group_id: number | null }): Promise<void> {
    const queueClass = await this.routing.queueClass(companyId, conv, await this.routing.settings(companyId));
    if (queueClass !== QUEUE_CLASS.normal) await new Tenant(this.db, companyId).q('conversations').where({ id: conv.id }).update({ queue_class: queueClass });
  }
}
