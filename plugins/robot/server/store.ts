import type { PluginContext } from '@kefu/core/plugin';

export type Mode = 'off' | 'when_no_agent' | 'first';
export type Texts = Record<'name' | 'welcome' | 'fallback' | 'handover' | 'noAgent' | 'didYouMean' | 'talkToPerson', Record<string, string>>;

export interface Settings {
  mode: Mode;
  directThreshold: number;
  listThreshold: number;
  handoverKeywords: string[];
  texts: Texts;
  kbVersion: number;
}

export const DEFAULT_TEXTS: Texts = {
  name: { 'zh-CN': '智能客服', en: 'Assistant' },
  welcome: { 'zh-CN': '您好,我是智能客服,请问有什么可以帮您?', en: "Hi, I'm the virtual assistant. How can I help?" },
  fallback: { 'zh-CN': '抱歉,我没有理解您的问题。您可以换个说法,或者转人工客服。', en: "Sorry, I didn't get that. Try rephrasing, or talk to a person." },
  handover: { 'zh-CN': '正在为您转接人工客服,请稍候……', en: 'Connecting you to a person…' },
  noAgent: { 'zh-CN': '当前没有人工客服在线,您可以留言,我们会尽快回复。', en: 'No one is available right now; leave a message and we will get back to you.' },
  didYouMean: { 'zh-CN': '您是不是想问:', en: 'Did you mean:' },
  talkToPerson: { 'zh-CN': '转人工', en: 'Talk to a person' },
};

export interface EntryRow {
  id: number;
  categoryId: number | null;
  question: string;
  phrasings: string[];
  answer: string;
  keywords: string[];
  language: string;
  enabled: boolean;
  hitCount: number;
  clickCount: number;
  createdAt: string;
  updatedAt: string;
}

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : String(d));
export const toEntry = (r: any): EntryRow => ({
  id: Number(r.id),
  categoryId: r.category_id == null ? null : Number(r.category_id),
  question: r.question,
  phrasings: r.phrasings ?? [],
  answer: r.answer,
  keywords: r.keywords ?? [],
  language: r.language,
  enabled: r.enabled,
  hitCount: r.hit_count,
  clickCount: r.click_count,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

export const DAILY = ['conversations', 'received', 'answered', 'related', 'fallback', 'clicks', 'handovers'] as const;
export type DailyMetric = (typeof DAILY)[number];

/** The plugin's tables, always through `ctx.tenant(companyId)`. */
export class RobotStore {
  constructor(private readonly ctx: PluginContext) {}

  t(companyId: number) {
    return this.ctx.tenant(companyId);
  }

  async settings(companyId: number): Promise<Settings> {
    let r = await this.t(companyId).q('robot_settings').first();
    if (!r) {
      await this.t(companyId).insert('robot_settings', {}).onConflict('company_id').ignore();
      r = await this.t(companyId).q('robot_settings').first();
    }
    const texts = { ...DEFAULT_TEXTS };
    for (const [k, v] of Object.entries((r.texts ?? {}) as Partial<Texts>)) texts[k as keyof Texts] = { ...texts[k as keyof Texts], ...v };
    return {
      mode: r.mode,
      directThreshold: Number(r.direct_threshold),
      listThreshold: Number(r.list_threshold),
      handoverKeywords: r.handover_keywords ?? [],
      texts,
      kbVersion: Number(r.kb_version),
    };
  }

  async updateSettings(companyId: number, p: Partial<Omit<Settings, 'kbVersion' | 'texts'>> & { texts?: Partial<Texts> }) {
    await this.settings(companyId);
    const row: Record<string, unknown> = { updated_at: this.ctx.clock.now() };
    if (p.mode) row.mode = p.mode;
    if (p.directThreshold !== undefined) row.direct_threshold = p.directThreshold;
    if (p.listThreshold !== undefined) row.list_threshold = p.listThreshold;
    if (p.handoverKeywords) row.handover_keywords = p.handoverKeywords;
    if (p.texts) row.texts = JSON.stringify(p.texts);
    await this.t(companyId).q('robot_settings').update(row);
    return this.settings(companyId);
  }

  async kbVersion(companyId: number): Promise<number> {
    const r = await this.t(companyId).q('robot_settings').first('kb_version');
    return Number(r?.kb_version ?? 0);
  }

  /** Every node rebuilds its index when it sees a newer version (ROBOT-PERF-25). */
  async bump(companyId: number) {
    await this.settings(companyId);
    await this.t(companyId).q('robot_settings').increment('kb_version', 1);
  }

  async allEntries(companyId: number, opts: { enabledOnly?: boolean } = {}): Promise<EntryRow[]> {
    const q = this.t(companyId).q('robot_entries').orderBy('id');
    if (opts.enabledOnly) q.where({ enabled: true });
    return (await q).map(toEntry);
  }

  async synonyms(companyId: number): Promise<{ id: number; words: string[] }[]> {
    return (await this.t(companyId).q('robot_synonyms').orderBy('id')).map((r: any) => ({ id: Number(r.id), words: r.words }));
  }

  async categories(companyId: number): Promise<{ id: number; parentId: number | null; name: string; kind: string; sort: number }[]> {
    return (await this.t(companyId).q('robot_categories').orderBy(['parent_id', 'sort', 'id'])).map((r: any) => ({
      id: Number(r.id),
      parentId: r.parent_id == null ? null : Number(r.parent_id),
      name: r.name,
      kind: r.kind,
      sort: r.sort,
    }));
  }

  async count(companyId: number, id: number, column: 'hit_count' | 'click_count') {
    await this.t(companyId).q('robot_entries').where({ id }).increment(column, 1);
  }

  async daily(companyId: number, metric: DailyMetric) {
    const day = this.ctx.clock.now().toISOString().slice(0, 10);
    await this.ctx.db.raw(
      `insert into robot_daily (company_id, day, ${metric}) values (?, ?, 1)
       on conflict (company_id, day) do update set ${metric} = robot_daily.${metric} + 1`,
      [companyId, day],
    );
  }

  async unmatched(companyId: number, normalized: string, question: string, conversationId: number | null) {
    await this.ctx.db.raw(
      `insert into robot_unmatched (company_id, normalized, question, sample_conversation_id) values (?, ?, ?, ?)
       on conflict (company_id, normalized) do update set count = robot_unmatched.count + 1, last_at = now(), question = excluded.question`,
      [companyId, normalized.slice(0, 500), question.slice(0, 500), conversationId],
    );
  }
}
