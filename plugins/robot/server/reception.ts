import type { PluginContext } from '@kefu/core/plugin';
import type { KnowledgeBase } from './kb.ts';
import type { RobotStore, Settings, Texts } from './store.ts';
import { normalize } from './text.ts';

export type Button = { label: string; action: 'robot.ask'; entryId: number } | { label: string; action: 'robot.handover' };

/** A text in the visitor's language: exact, then by base language (zh-TW → zh-CN), then zh-CN. */
export function pick(texts: Record<string, string>, lang: string | null): string {
  if (lang && texts[lang]) return texts[lang];
  if (lang?.startsWith('zh')) return texts['zh-CN'];
  if (lang && !lang.startsWith('zh')) return texts.en ?? texts['zh-CN'];
  return texts['zh-CN'];
}

const PER_MINUTE = 20;

/**
 * Reception (ROBOT-MODE-12, ANSWER-9, HANDOVER-13, SAFETY-24): claims new conversations
 * by mode, answers visitor text messages of the conversations it serves, hands over
 * on keyword or button. It never reacts to its own, agents' or system messages.
 */
export class Reception {
  /** Questions last offered per conversation: a visitor message equal to one is a click. */
  private offered = new Map<number, Map<string, number>>();
  private recent = new Map<number, number[]>();

  constructor(
    private readonly ctx: PluginContext,
    private readonly store: RobotStore,
    private readonly kb: KnowledgeBase,
  ) {}

  register() {
    this.ctx.hooks.addAction('conversation.created', (p, h) => this.onCreated(h.companyId, p.conversationId, p.visitorId));
    this.ctx.hooks.addAction('message.created', (m, h) => {
      // An agent serves it already (agentId set): never the robot's turn, and no query needed.
      if (m.senderKind !== 'visitor' || m.kind !== 'text' || !m.text || m.agentId) return;
      return this.onVisitorText(h.companyId, m.conversationId, m.messageId, m.text);
    });
    this.ctx.hooks.addAction('conversation.ended', (p) => {
      this.offered.delete(p.conversationId);
      this.recent.delete(p.conversationId);
    });
  }

  private async language(companyId: number, visitorId: number): Promise<string | null> {
    const v = await this.ctx.tenant(companyId).q('visitors').where({ id: visitorId }).first('language');
    return v?.language ?? null;
  }

  async onCreated(companyId: number, conversationId: number, visitorId: number) {
    const s = await this.store.settings(companyId);
    if (s.mode === 'off') return;
    if (s.mode === 'when_no_agent' && (await this.ctx.conversations.anyoneServing(companyId))) return;
    if (!(await this.ctx.conversations.claim(companyId, conversationId))) return;
    await this.store.daily(companyId, 'conversations');
    const lang = await this.language(companyId, visitorId);
    await this.say(companyId, conversationId, `robot:welcome:${conversationId}`, s, lang, pick(s.texts.welcome, lang), [this.handoverButton(s.texts, lang)]);
  }

  private handoverButton(texts: Texts, lang: string | null): Button {
    return { label: pick(texts.talkToPerson, lang), action: 'robot.handover' };
  }

  /** A plain answer, or a card when there are buttons (payload `{buttons}`). */
  private async say(companyId: number, conversationId: number, clientId: string, s: Settings, lang: string | null, text: string, buttons: Button[] = []) {
    const name = pick(s.texts.name, lang);
    await this.ctx.conversations.send(
      companyId,
      conversationId,
      buttons.length ? { clientId, kind: 'card', text, payload: { buttons }, name } : { clientId, kind: 'text', text, name },
    );
  }

  async onVisitorText(companyId: number, conversationId: number, messageId: number, text: string) {
    const conv = await this.ctx.tenant(companyId).q('conversations').where({ id: conversationId }).first('status', 'served_by_plugin', 'visitor_id');
    if (!conv || conv.status !== 'queued' || conv.served_by_plugin !== this.ctx.id) return;
    // Never in a conversation an agent has written in (ROBOT-SAFETY-24).
    const agentSpoke = await this.ctx.tenant(companyId).q('messages').where({ conversation_id: conversationId, sender_kind: 'agent' }).first('id');
    if (agentSpoke) return;
    const s = await this.store.settings(companyId);
    const lang = await this.language(companyId, Number(conv.visitor_id));
    const key = `robot:${messageId}`; // one answer per visitor message, even on retries
    const n = normalize(text);
    await this.store.daily(companyId, 'received');

    const handoverWords = new Set([...s.handoverKeywords, ...Object.values(s.texts.talkToPerson)].map(normalize));
    if (handoverWords.has(n) || this.overLimit(conversationId)) return this.handOver(companyId, conversationId, key, s, lang);

    const offered = this.offered.get(conversationId)?.get(n);
    if (offered) {
      const entry = await this.kb.entry(companyId, offered);
      if (entry) {
        await this.store.count(companyId, entry.id, 'click_count');
        await this.store.daily(companyId, 'clicks');
        return this.answer(companyId, conversationId, key, s, lang, entry.id, entry.answer, []);
      }
    }

    const d = await this.kb.decide(companyId, text, s, lang);
    if (d.type === 'answer') return this.answer(companyId, conversationId, key, s, lang, d.entry.id, d.entry.answer, d.candidates);
    if (d.type === 'related') {
      await this.store.daily(companyId, 'related');
      await this.store.unmatched(companyId, n, text, conversationId);
      this.remember(conversationId, d.candidates);
      const buttons: Button[] = d.candidates.map((c) => ({ label: c.question, action: 'robot.ask', entryId: c.entryId }));
      return this.say(companyId, conversationId, key, s, lang, pick(s.texts.didYouMean, lang), [...buttons, this.handoverButton(s.texts, lang)]);
    }
    await this.store.daily(companyId, 'fallback');
    await this.store.unmatched(companyId, n, text, conversationId);
    return this.say(companyId, conversationId, key, s, lang, pick(s.texts.fallback, lang), [this.handoverButton(s.texts, lang)]);
  }

  private async answer(
    companyId: number,
    conversationId: number,
    key: string,
    s: Settings,
    lang: string | null,
    entryId: number,
    answer: string,
    related: { entryId: number; question: string }[],
  ) {
    await this.store.count(companyId, entryId, 'hit_count');
    await this.store.daily(companyId, 'answered');
    await this.say(companyId, conversationId, key, s, lang, answer);
    if (related.length) {
      this.remember(conversationId, related);
      const buttons: Button[] = related.slice(0, 5).map((c) => ({ label: c.question, action: 'robot.ask', entryId: c.entryId }));
      await this.say(companyId, conversationId, `${key}:related`, s, lang, lang?.startsWith('zh') || !lang ? '相关问题' : 'Related questions', buttons);
    }
  }

  private remember(conversationId: number, list: { entryId: number; question: string }[]) {
    this.offered.set(conversationId, new Map(list.map((c) => [normalize(c.question), c.entryId])));
  }

  private overLimit(conversationId: number): boolean {
    const now = Date.now();
    const list = (this.recent.get(conversationId) ?? []).filter((t) => now - t < 60_000);
    list.push(now);
    this.recent.set(conversationId, list);
    return list.length > PER_MINUTE;
  }

  /** ROBOT-HANDOVER-13: same conversation (the transcript stays), normal routing from here. */
  async handOver(companyId: number, conversationId: number, key: string, s: Settings, lang: string | null) {
    const someone = await this.ctx.conversations.anyoneServing(companyId);
    await this.say(companyId, conversationId, `${key}:handover`, s, lang, pick(someone ? s.texts.handover : s.texts.noAgent, lang));
    if (await this.ctx.conversations.handOver(companyId, conversationId)) await this.store.daily(companyId, 'handovers');
    this.offered.delete(conversationId);
  }
}
