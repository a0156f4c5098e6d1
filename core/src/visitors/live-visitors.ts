import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { ipInList, parseCidrList } from '../http/client-ip.ts';
import { RealtimeNotifier } from '../realtime/realtime-notifier.ts';
import { RegionService } from '../region/region-service.ts';
import { VisitorScope, type ScopeLimit } from './visitor-scope.ts';

/** A visitor without a connected page for this long has left (VISITOR-ARRIVE-2). */
export const VISITOR_LEFT_MS = 30_000;
/** Left visitors stay listed this long (company setting, default 10 minutes). */
export const LEFT_LISTED_MS = 10 * 60_000;

/** The live visitor list of a company (SPEC §2.2): one query, newest activity first. */
@injectable()
export class LiveVisitors {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(VisitorScope) private readonly scope: VisitorScope,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(RegionService) private readonly region: RegionService,
  ) {}

  async one(companyId: number, visitorId: number) {
    return (await this.list(companyId, { max: 1, onlyVisitorId: visitorId }))[0] ?? null;
  }

  /** A row changed: every console allowed to see the visitor (VISITOR-SCOPE-4) gets it. */
  async push(companyId: number, visitorId: number): Promise<void> {
    const row = await this.one(companyId, visitorId);
    if (row) this.notifier.toAgents(await this.scope.roomsOf(companyId, visitorId), 'visitor.updated', { visitor: row });
  }

  /** A fully blocked visitor leaves every console's list at once (DISPLAY-BLOCKVISITOR-12). */
  async hide(companyId: number, visitorId: number): Promise<void> {
    this.notifier.toAgents(await this.scope.roomsOf(companyId, visitorId), 'visitor.hidden', { visitorId });
  }

  /** `scope`: a viewer limited to their groups' visitors (VisitorScope.limitFor); none sees every visitor. */
  async list(companyId: number, o: { max?: number; onlyVisitorId?: number; scope?: ScopeLimit | null } = {}) {
    const { max = 500, onlyVisitorId, scope } = o;
    const now = this.clock.now().getTime();
    const rows = await this.db('visitors as v')
      .leftJoin('conversations as c', function () {
        this.on('c.visitor_id', 'v.id').andOnVal('c.status', '<>', 'ended');
      })
      .where('v.company_id', companyId)
      .modify((q) => (scope ? this.scope.apply(q, scope) : q))
      .modify((q) =>
        onlyVisitorId ? q.where('v.id', onlyVisitorId) : q.where((w) => w.where('v.last_seen_at', '>', new Date(now - LEFT_LISTED_MS)).orWhereNotNull('c.id')),
      )
      // company_id in the subqueries lets them use the (company_id, visitor_id, time) indexes.
      .select(
        'v.*',
        'c.id as conversation_id',
        'c.status as conversation_status',
        this.db.raw(
          '(select row_to_json(x) from (select url, title from page_views p where p.company_id = v.company_id and p.visitor_id = v.id order by p.created_at desc limit 1) x) as last_page',
        ),
        // A pending invitation from anyone (已邀请, VISITOR-INVITE-9), with the inviter's name; null agent: an automatic one.
        this.db.raw(
          "(select row_to_json(z) from (select a.nickname from invitations i left join agents a on a.id = i.agent_id where i.company_id = v.company_id and i.visitor_id = v.id and i.status = 'pending' and i.kind = 'invite' limit 1) z) as pending_invitation",
        ),
        this.db.raw(
          '(select row_to_json(y) from (select referrer, search_engine, search_keyword from visits s where s.company_id = v.company_id and s.visitor_id = v.id order by s.started_at desc limit 1) y) as last_visit',
        ),
      )
      .orderBy('v.last_seen_at', 'desc')
      .limit(max);
    // Fully blocked visitors disappear from every list (DISPLAY-BLOCKVISITOR-12); chat-blocked ones stay, marked (DISPLAY-BLOCKCHAT-13).
    const blocks = (
      await this.db('blocks')
        .where({ company_id: companyId })
        .where((w) => w.whereNull('ends_at').orWhere('ends_at', '>', new Date(now)))
        .select('kind', 'visitor_id', 'cidr', 'ends_at')
    ).map((b) => ({ ...b, range: b.cidr ? parseCidrList(b.cidr) : null }));
    const blockOf = (r: any, kind: string) =>
      blocks.find((b) => b.kind === kind && (Number(b.visitor_id) === Number(r.id) || (b.range && r.last_ip && ipInList(r.last_ip, b.range))));
    const visible = rows.filter((r: any) => !blockOf(r, 'visitor'));
    const served = await this.region.servedTest(companyId);
    return visible.map((r: any) => {
      const chatBlock = blockOf(r, 'chat');
      const left = now - new Date(r.last_seen_at).getTime() > VISITOR_LEFT_MS;
      const state = r.conversation_status === 'active' ? 'chatting' : r.conversation_status === 'queued' ? 'waiting' : left ? 'left' : 'browsing';
      return {
        id: Number(r.id),
        number: Number(r.number),
        name: r.name,
        state: state as 'browsing' | 'waiting' | 'chatting' | 'left',
        channel: r.channel,
        ip: r.last_ip,
        region: r.region,
        browser: r.browser,
        os: r.os,
        device: r.device,
        language: r.language,
        visitCount: Number(r.visit_count),
        currentUrl: r.last_page?.url ?? null,
        currentTitle: r.last_page?.title ?? null,
        referrer: r.last_visit?.referrer ?? null,
        searchEngine: r.last_visit?.search_engine ?? null,
        keyword: r.last_visit?.search_keyword ?? null,
        firstSeenAt: new Date(r.first_seen_at).toISOString(),
        lastSeenAt: new Date(r.last_seen_at).toISOString(),
        conversationId: r.conversation_id ? Number(r.conversation_id) : null,
        chatBlock: chatBlock ? { endsAt: chatBlock.ends_at ? new Date(chatBlock.ends_at).toISOString() : null } : null,
        invitation: r.pending_invitation ? { agentNickname: r.pending_invitation.nickname ?? null } : null,
        outsideRegion: !served(r.last_ip),
      };
    });
  }
}
