import type { TestKefu } from '@kefu/core/testing';
import { MessageStore, type NewMessage } from '../src/conversations/message-store.ts';
import { Tenant } from '../src/tenancy/tenant.ts';

/** Conversations for the history suites: rows as the engine leaves them, messages through the real MessageStore.append. */

export type Line = [NewMessage['senderKind'], string | null, NewMessage['kind']?, Record<string, unknown>?];

export interface Seed {
  companyId?: number;
  agentId?: number | null;
  groupId?: number | null;
  status?: 'queued' | 'active' | 'ended';
  /** Days before now that it started (ended 10 minutes later). */
  daysAgo?: number;
  channel?: string;
  topic?: string | null;
  valid?: boolean | null;
  note?: string | null;
  endReason?: string;
  visitor?: { name?: string; region?: string; email?: string; phone?: string };
  lines?: Line[];
}

let numbers = 0;

export async function seedConversation(k: TestKefu, s: Seed): Promise<number> {
  const db = k.server.db;
  const companyId = s.companyId ?? k.company.id;
  const start = new Date(Date.now() - (s.daysAgo ?? 0) * 86_400_000 - 3_600_000);
  const status = s.status ?? 'ended';
  const [v] = await db('visitors')
    .insert({
      company_id: companyId,
      number: 100_000 + ++numbers,
      name: s.visitor?.name ?? null,
      region: s.visitor?.region ?? null,
      email: s.visitor?.email ?? null,
      phone: s.visitor?.phone ?? null,
    })
    .returning('id');
  const [c] = await db('conversations')
    .insert({
      company_id: companyId,
      visitor_id: v.id,
      channel: s.channel ?? 'web',
      status,
      agent_id: s.agentId ?? null,
      group_id: s.groupId ?? null,
      created_at: start,
      accepted_at: s.agentId ? start : null,
      ended_at: status === 'ended' ? new Date(start.getTime() + 600_000) : null,
      end_reason: status === 'ended' ? (s.endReason ?? 'agent') : null,
      topic: s.topic ?? null,
      eval_valid: s.valid ?? null,
      eval_note: s.note ?? null,
      evaluated_at: s.valid == null ? null : start,
    })
    .returning('id');
  const id = Number(c.id);
  const store = k.server.container.resolve(MessageStore);
  let n = 0;
  for (const [senderKind, text, kind, payload] of s.lines ?? [])
    await store.append(
      new Tenant(db, companyId),
      id,
      { clientId: `seed-${id}-${++n}`, senderKind, senderId: null, senderName: senderKind, kind: kind ?? 'text', text, payload: payload ?? null },
      { allowEnded: true },
    );
  return id;
}

export const agentDbId = async (k: TestKefu, agentId: string, companyId = k.company.id) =>
  Number((await k.server.db('agents').where({ company_id: companyId, agent_id: agentId }).first('id')).id);
