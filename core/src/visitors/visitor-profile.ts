import type { AuthInfo } from '../auth/auth-info.ts';
import { notFound } from '../http/errors.ts';
import { filteredConversations } from '../history/history-query.ts';
import { rowColumns, toHistoryRows } from '../history/history-rows.ts';
import type { HistoryService } from '../history/history-service.ts';
import { visibleLeaveMessages } from '../leavemsg/leave-message-query.ts';
import type { VisitorInfoService } from './visitor-info-service.ts';
import { VisitorScope, viewerOf } from './visitor-scope.ts';

/** The profile lists this many of the newest conversations and leave-messages. */
const PROFILE_ITEMS = 50;

/**
 * core's visitor profile (HISTORY-VISITOR-7, LEAVEMSG-VISITOR-15, P1B-A36): what the visitor submitted, the
 * conversations history lets the caller see (HISTORY-VISIBILITY-5) and the visible leave-messages
 * (LEAVEMSG-VISIBILITY-3). A visitor the caller sees nowhere — not in the live list, no conversation, no
 * leave-message — is not found.
 */
export async function readVisitorProfile(auth: AuthInfo, visitorId: number, deps: { info: VisitorInfoService; history: HistoryService; scope: VisitorScope }) {
  const t = auth.tenant;
  const rules = await deps.history.companyRules(t);
  const [rows, leaveRows, inScope] = await Promise.all([
    filteredConversations(t, deps.history.viewer(auth), { keywordIn: 'all' }, null)
      .where('c.visitor_id', visitorId)
      .orderBy('c.created_at', 'desc')
      .limit(PROFILE_ITEMS)
      .select(...rowColumns(t)),
    visibleLeaveMessages(auth)
      .leftJoin('agents as h', 'h.id', 'l.handler_id')
      .where('l.visitor_id', visitorId)
      .orderBy('l.created_at', 'desc')
      .limit(PROFILE_ITEMS)
      .select('l.id', 'l.created_at', 'l.status', 'l.content', 'l.fields', 'h.nickname as handler_name'),
    deps.scope.allows(auth.companyId, viewerOf(auth), visitorId),
  ]);
  if (!rows.length && !leaveRows.length && !inScope) throw notFound('Visitor not found');
  return {
    visitor: await deps.info.read(auth, visitorId),
    conversations: await toHistoryRows(t, rows, { editableAfter: rules.editableAfter }),
    leaveMessages: leaveRows.map((r: any) => ({
      id: Number(r.id),
      createdAt: new Date(r.created_at).toISOString(),
      status: r.status,
      subject: r.fields?.subject ?? null,
      content: r.content,
      handlerName: r.handler_name ?? null,
    })),
  };
}
