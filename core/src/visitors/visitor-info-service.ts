import { inject, injectable } from '../infra/di.ts';
import { TOKENS } from '../tokens.ts';
import type { Logger } from '../infra/logger.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { forbiddenCode, notFound } from '../http/errors.ts';
import { filteredConversations } from '../history/history-query.ts';
import { RealtimeNotifier } from '../realtime/realtime-notifier.ts';
import { LiveVisitors } from './live-visitors.ts';
import { VisitorScope, viewerOf } from './visitor-scope.ts';
import { EDITABLE_FIELDS, type EditableField, type VisitorEdit, type VisitorInfo } from './visitor-info-schemas.ts';

/** The visitor column behind each editable field. */
const COLUMN: Record<EditableField, string> = { name: 'name', mobile: 'phone', landline: 'landline', email: 'email', note: 'note' };
/** The form answers that fill a field (PRECHAT-STORE-8 stores `mobile` or `phone` as the visitor's phone). */
const FORM_KEYS: Record<EditableField, string[]> = { name: ['name'], mobile: ['mobile', 'phone'], landline: [], email: ['email'], note: [] };
/** Form answers that are not contact values of their own. */
const NOT_SHOWN = new Set(['name', 'mobile', 'phone', 'email', 'questionType']);

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

/**
 * 访客信息 of the side panel (WORKBENCH-VISITOR-8) and its editing (WORKBENCH-VISITOREDIT-9): each value with
 * where it came from, edits by the agents who serve or served the visitor and by admins, every change kept.
 */
@injectable()
export class VisitorInfoService {
  constructor(
    @inject(VisitorScope) private readonly scope: VisitorScope,
    @inject(LiveVisitors) private readonly live: LiveVisitors,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(TOKENS.Logger) private readonly log: Logger,
  ) {}

  /** The visitor as the live list shows it to this agent (VISITOR-SCOPE-4); anyone else's is not found. */
  async info(auth: AuthInfo, visitorId: number): Promise<VisitorInfo> {
    if (!(await this.scope.allows(auth.companyId, viewerOf(auth), visitorId))) throw notFound('Visitor not found');
    return this.read(auth, visitorId);
  }

  async read(auth: AuthInfo, visitorId: number): Promise<VisitorInfo> {
    const t = auth.tenant;
    const v = await t.q('visitors').where({ id: visitorId }).first();
    if (!v) throw notFound('Visitor not found');
    const [edits, leave, [{ n: conversations }], [{ n: leaveMessages }], canEdit] = await Promise.all([
      t
        .q('visitor_changes as h')
        .leftJoin('agents as a', 'a.id', 'h.agent_id')
        .where('h.visitor_id', visitorId)
        .orderBy('h.id', 'desc')
        .select('h.field', 'h.new_value', 'h.created_at', 'a.nickname'),
      t.q('leave_messages').where({ visitor_id: visitorId }).orderBy('created_at', 'desc').first('name', 'email', 'phone', 'created_at'),
      t.q('conversations').where({ visitor_id: visitorId }).count({ n: '*' }),
      t.q('leave_messages').where({ visitor_id: visitorId }).count({ n: '*' }),
      this.canEdit(auth, visitorId),
    ]);
    const form: Record<string, unknown> = v.attributes?.prechat ?? {};
    const formAt = v.attributes?.prechatAt ?? null;
    const sourceOf = (field: EditableField, value: string) => {
      const edit = edits.find((e: any) => e.field === field);
      if (edit && edit.new_value === value) return { kind: 'agent' as const, by: edit.nickname ?? null, at: iso(edit.created_at) };
      if (FORM_KEYS[field].some((k) => String(form[k] ?? '') === value)) return { kind: 'form' as const, by: null, at: formAt };
      const fromLeave = field === 'mobile' ? leave?.phone : field === 'name' || field === 'email' ? leave?.[field] : null;
      if (fromLeave === value) return { kind: 'leaveMessage' as const, by: null, at: iso(leave?.created_at) };
      return null;
    };
    const values = [
      ...EDITABLE_FIELDS.filter((f) => v[COLUMN[f]]).map((field) => ({
        field,
        value: String(v[COLUMN[field]]),
        source: sourceOf(field, String(v[COLUMN[field]])),
      })),
      ...Object.entries(form)
        .filter(([k, value]) => !NOT_SHOWN.has(k) && value !== '' && value != null)
        .map(([field, value]) => ({ field, value: String(value), source: { kind: 'form' as const, by: null, at: formAt } })),
    ];
    return {
      id: Number(v.id),
      number: Number(v.number),
      channel: v.channel,
      values,
      region: v.region,
      ip: v.last_ip,
      browser: v.browser,
      os: v.os,
      device: v.device,
      language: v.language,
      visitCount: Number(v.visit_count),
      firstSeenAt: iso(v.first_seen_at)!,
      lastSeenAt: iso(v.last_seen_at)!,
      conversationCount: Number(conversations),
      leaveMessageCount: Number(leaveMessages),
      canEdit,
    };
  }

  /** Admins, and agents who serve or served one of the visitor's conversations (transfers included). */
  async canEdit(auth: AuthInfo, visitorId: number): Promise<boolean> {
    if (auth.agent.role === 'admin') return true;
    const served = await filteredConversations(auth.tenant, { agentId: auth.agent.id, seesAll: false }, { keywordIn: 'all' }, null)
      .where('c.visitor_id', visitorId)
      .first('c.id');
    return !!served;
  }

  /** Stores the changed values and one history row per change, then tells every console that sees the visitor. */
  async edit(auth: AuthInfo, visitorId: number, patch: VisitorEdit): Promise<VisitorInfo> {
    const t = auth.tenant;
    if (!(await t.q('visitors').where({ id: visitorId }).first('id'))) throw notFound('Visitor not found');
    if (!(await this.canEdit(auth, visitorId))) throw forbiddenCode('forbidden', 'Only agents who serve or served this visitor, and admins, may edit it');
    const changed = await t.transaction(async (tx) => {
      const cur = await tx.q('visitors').where({ id: visitorId }).forUpdate().first();
      const rows = (Object.entries(patch) as [EditableField, string | null][])
        .map(([field, value]) => ({ field, old_value: (cur[COLUMN[field]] as string | null) ?? null, new_value: value || null }))
        .filter((r) => r.old_value !== r.new_value);
      if (!rows.length) return [];
      await tx
        .q('visitors')
        .where({ id: visitorId })
        .update(Object.fromEntries(rows.map((r) => [COLUMN[r.field], r.new_value])));
      await tx.insert(
        'visitor_changes',
        rows.map((r) => ({ ...r, visitor_id: visitorId, agent_id: auth.agent.id })),
      );
      return rows.map((r) => r.field);
    });
    if (changed.length) {
      this.log.info({ companyId: auth.companyId, visitorId, agentId: auth.agent.id, fields: changed }, 'visitor information edited');
      await this.live.push(auth.companyId, visitorId);
      this.notifier.toAgents(await this.scope.roomsOf(auth.companyId, visitorId), 'visitor.infoChanged', { visitorId });
    }
    return this.read(auth, visitorId);
  }

  /** Every change, newest first, with old and new value (WORKBENCH-VISITOREDIT-9). */
  async changes(auth: AuthInfo, visitorId: number) {
    await this.info(auth, visitorId);
    const rows = await auth.tenant
      .q('visitor_changes as h')
      .leftJoin('agents as a', 'a.id', 'h.agent_id')
      .where('h.visitor_id', visitorId)
      .orderBy('h.id', 'desc')
      .limit(200)
      .select('h.*', 'a.nickname');
    return {
      items: rows.map((r: any) => ({
        field: r.field,
        oldValue: r.old_value,
        newValue: r.new_value,
        agentName: r.nickname ?? null,
        createdAt: iso(r.created_at)!,
      })),
    };
  }
}
