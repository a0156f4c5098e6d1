import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import { ConversationService } from '../conversations/conversation-service.ts';
import type { MessageView } from '../protocol/message-schemas.ts';
import { visitorLang } from './policy-settings-schema.ts';

/** What the policies need to know about a conversation before writing into it. */
export interface ConversationFacts {
  id: number;
  companyId: number;
  status: 'queued' | 'active' | 'ended';
  agentId: number | null;
  agentNickname: string | null;
  servedByPlugin: string | null;
  channel: string;
  visitorId: number;
  visitorName: string | null;
  visitorLanguage: string | null;
  companyLanguage: string;
  companyName: string;
}

const THERE: Record<string, string> = { 'zh-CN': '访客', 'zh-TW': '訪客', en: 'there', ja: 'お客様', ko: '고객님' };

/** Messages the server writes on a policy's behalf: system prompts, and agents' automatic replies tagged 自动. */
@injectable()
export class PolicyMessages {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(ConversationService) private readonly conversations: ConversationService,
  ) {}

  async facts(companyId: number, conversationId: number): Promise<ConversationFacts | null> {
    const r = await this.db('conversations as c')
      .join('visitors as v', 'v.id', 'c.visitor_id')
      .join('companies as co', 'co.id', 'c.company_id')
      .leftJoin('agents as a', 'a.id', 'c.agent_id')
      .where({ 'c.id': conversationId, 'c.company_id': companyId })
      .first(
        'c.status',
        'c.agent_id',
        'c.served_by_plugin',
        'c.channel',
        'c.visitor_id',
        'v.name as visitor_name',
        'v.language as visitor_language',
        'co.visitor_language as company_language',
        'co.name as company_name',
        'co.short_name as company_short_name',
        'a.nickname as agent_nickname',
      );
    if (!r) return null;
    return {
      id: conversationId,
      companyId,
      status: r.status,
      agentId: r.agent_id == null ? null : Number(r.agent_id),
      agentNickname: r.agent_nickname ?? null,
      servedByPlugin: r.served_by_plugin ?? null,
      channel: r.channel,
      visitorId: Number(r.visitor_id),
      visitorName: r.visitor_name ?? null,
      visitorLanguage: r.visitor_language ?? null,
      companyLanguage: r.company_language,
      companyName: r.company_short_name || r.company_name,
    };
  }

  system(f: ConversationFacts, clientId: string, text: string): Promise<MessageView> {
    return this.conversations.send(f.companyId, f.id, { kind: 'system' }, { clientId, kind: 'system', text });
  }

  /** CHATSET-AUTORULES-3: stored and shown as the agent's message, tagged automatic (it does not count as a reply). */
  automatic(f: ConversationFacts, agent: { id: number; nickname: string }, clientId: string, template: string): Promise<MessageView> {
    const text = fillPlaceholders(template, { visitor: f.visitorName || THERE[visitorLang(f.visitorLanguage)], agent: agent.nickname, company: f.companyName });
    return this.conversations.send(
      f.companyId,
      f.id,
      { kind: 'agent', agentId: agent.id, nickname: agent.nickname, isAdmin: true },
      { clientId, kind: 'text', text, payload: { automatic: true } },
    );
  }
}

/** CHATSET-WELCOME-1 placeholders. */
export const PLACEHOLDERS = ['visitor', 'agent', 'company'] as const;

export const fillPlaceholders = (template: string, values: Record<(typeof PLACEHOLDERS)[number], string>) =>
  template.replace(/\{(visitor|agent|company)\}/g, (_m, key: keyof typeof values) => values[key]);
