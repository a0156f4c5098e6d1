import type { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { idParams } from '../accounts/agent-schemas.ts';
import { conflict, forbidden } from '../http/errors.ts';
import { InvitationService } from '../conversations/invitation-service.ts';
import { LiveVisitors } from '../visitors/live-visitors.ts';
import { LeaveMessageService } from './leave-message-service.ts';
import { outreachBody, outreachStarted, outreachView } from './leave-message-outreach-schemas.ts';

/** The actor of the invitation service, from an HTTP caller. */
const actorOfAuth = (auth: AuthInfo) => ({
  companyId: auth.companyId,
  agentId: auth.agent.id,
  nickname: auth.agent.nickname,
  isAdmin: auth.agent.role === 'admin',
  can: (p: string) => auth.can(p),
});

/**
 * LEAVEMSG-CHAT-10: while the leave-message's visitor is on the site, its detail invites the visitor or opens a
 * proactive chat through the invitation service (its permissions, statuses and refusals apply), and records the
 * link so the detail shows what came of it. The leave-message must be visible to the caller (LEAVEMSG-VISIBILITY-3).
 */
export function registerLeaveMessageOutreachRoutes(api: ApiRouter, c: DependencyContainer) {
  const leaveMessages = c.resolve(LeaveMessageService);
  const invitations = c.resolve(InvitationService);
  const live = c.resolve(LiveVisitors);
  const tags = ['leave-messages'];

  async function read(auth: AuthInfo, id: number) {
    const m = await leaveMessages.get(auth, id);
    const [row, items] = await Promise.all([
      m.visitorId == null ? null : live.one(auth.companyId, m.visitorId),
      auth.tenant
        .q('leave_message_outreach as o')
        .join('invitations as i', 'i.id', 'o.invitation_id')
        .leftJoin('agents as a', 'a.id', 'i.agent_id')
        .where('o.leave_message_id', id)
        .orderBy('o.id', 'desc')
        .select('i.kind', 'i.status', 'i.conversation_id', 'o.created_at', 'a.nickname'),
    ]);
    return {
      visitorOnline: !!row && row.state !== 'left',
      items: items.map((r: any) => ({
        kind: r.kind,
        status: r.status,
        agentName: r.nickname ?? null,
        conversationId: r.conversation_id == null ? null : Number(r.conversation_id),
        createdAt: new Date(r.created_at).toISOString(),
      })),
    };
  }

  api.route({
    method: 'get',
    path: '/api/leave-messages/:id/outreach',
    summary: 'Whether the visitor is on the site now, and the invitations and proactive chats started from this leave-message (LEAVEMSG-CHAT-10)',
    tags,
    auth: 'agent',
    params: idParams,
    response: outreachView,
    handler: ({ params, auth }) => read(auth, params.id),
  });

  api.route({
    method: 'post',
    path: '/api/leave-messages/:id/outreach',
    summary:
      '邀请访客 (visitor.invite) or 主动对话 (visitor.proactive) with the leave-message’s visitor, linked to it; 409 visitor_offline when the visitor left, and the refusals of VISITOR-INVITE-9 / -PROACTIVE-10',
    tags,
    auth: 'agent',
    params: idParams,
    body: outreachBody,
    response: outreachStarted,
    status: 201,
    handler: async ({ params, body, auth }) => {
      const m = await leaveMessages.get(auth, params.id);
      const permission = body.kind === 'invite' ? 'visitor.invite' : 'visitor.proactive';
      if (!auth.can(permission)) throw forbidden(permission);
      if (m.visitorId == null) throw conflict('visitor_offline', 'This leave-message has no visitor to contact');
      const actor = actorOfAuth(auth);
      let started: z.infer<typeof outreachStarted>;
      let invitationId: number;
      if (body.kind === 'invite') {
        const invitation = await invitations.invite(actor, m.visitorId, body.text);
        started = { invitation };
        invitationId = invitation.id;
      } else {
        started = await invitations.proactive(actor, m.visitorId, body.text);
        const row = await auth.tenant.q('invitations').where({ conversation_id: started.conversation!.id, kind: 'proactive' }).first('id');
        invitationId = Number(row.id);
      }
      await auth.tenant.insert('leave_message_outreach', { leave_message_id: m.id, invitation_id: invitationId });
      leaveMessages.changed(auth.companyId, { ids: [m.id], change: 'updated', by: auth.agent.id });
      return started;
    },
  });
}
