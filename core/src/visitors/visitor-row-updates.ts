import type { DependencyContainer } from '../infra/di.ts';
import { TOKENS } from '../tokens.ts';
import type { Db } from '../infra/db.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { LiveVisitors } from './live-visitors.ts';

/** A visitor's row changes state (waiting, chatting, browsing) with its conversation: push it to every console. */
export function registerVisitorRowUpdates(c: DependencyContainer): void {
  const hooks = c.resolve(HookRegistry);
  const live = c.resolve(LiveVisitors);
  const db = c.resolve<Db>(TOKENS.Db);
  const push = async (companyId: number, conversationId: number) => {
    const conv = await db('conversations').where({ id: conversationId, company_id: companyId }).first('visitor_id');
    if (conv) await live.push(companyId, Number(conv.visitor_id));
  };
  hooks.addAction('conversation.created', (p, ctx) => push(ctx.companyId, p.conversationId));
  hooks.addAction('conversation.accepted', (p, ctx) => push(ctx.companyId, p.conversationId));
  hooks.addAction('conversation.ended', (p, ctx) => push(ctx.companyId, p.conversationId));
}
