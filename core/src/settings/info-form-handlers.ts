import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import { conflict, notFound, rateLimited } from '../http/errors.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { SocketDispatcher } from '../plugins/socket-dispatcher.ts';
import { MessageStore } from '../conversations/message-store.ts';
import { ConversationService } from '../conversations/conversation-service.ts';
import type { VisitorCaller } from '../conversations/visitor-event-handlers.ts';
import { clientId, conversationId } from '../protocol/message-schemas.ts';
import { PRECHAT_FIELDS } from './widget-settings-schema.ts';
import { WidgetSettingsService } from './widget-settings-service.ts';
import { prechatSubmitPayload, submitPrechat } from './prechat-handlers.ts';

export const formPush = z.strictObject({ conversationId });
export const formSubmit = z.strictObject({ conversationId, clientId, fields: prechatSubmitPayload.shape.fields });

const MAX_PUSHES = 5;

type VisitorHandler = { spec: { schema: any; handler: (p: any, caller: VisitorCaller) => Promise<unknown> } };

/** The form waiting for the visitor: the latest push, unless a submission came after it (a new push replaces the old one). */
async function pendingForm(t: Tenant, conversationId: number) {
  const [last] = await t.q('messages').where({ conversation_id: conversationId, kind: 'form' }).orderBy('seq', 'desc').limit(1).select('sender_kind');
  return last?.sender_kind === 'agent';
}

/**
 * CONV-FORM-22 (推送访客信息收集表): the agent pushes the 访客信息配置 form into an
 * active chat as a `form` message (payload `{request, fields, questionTypes}`);
 * the visitor's answers come back as a `form` message of theirs (payload
 * `{fields}`), stored on the visitor like the pre-chat form (source `pushed`).
 */
export function registerInfoFormEvents(c: DependencyContainer) {
  const db = c.resolve<Db>(TOKENS.Db);
  const conversations = c.resolve(ConversationService);
  const settings = c.resolve(WidgetSettingsService);
  c.resolve(SocketDispatcher).on('core', 'form.push', {
    schema: formPush,
    handler: async (p: z.output<typeof formPush>, caller) => {
      const t = new Tenant(db, caller.companyId);
      const conv = await t.q('conversations').where({ id: p.conversationId }).first('status');
      if (!conv) throw notFound('Conversation not found');
      if (conv.status !== 'active') throw conflict('conversation_not_active', 'The conversation is not active');
      const form = (await settings.read(caller.companyId)).prechat;
      // A question type item without question types would be an empty choice.
      const fields = PRECHAT_FIELDS.filter((f) => form.fields[f].shown && (f !== 'questionType' || form.questionTypes.length)).map((key) => ({
        key,
        required: form.fields[key].required,
      }));
      if (!fields.length) throw conflict('form_not_configured', 'The information form shows no item');
      const [{ n }] = await t.q('messages').where({ conversation_id: p.conversationId, kind: 'form', sender_kind: 'agent' }).count<{ n: string }[]>('* as n');
      if (Number(n) >= MAX_PUSHES) throw rateLimited(3600);
      const a = await t.q('agents').where({ id: caller.agentId }).first('nickname', 'role');
      const sender = { kind: 'agent' as const, agentId: caller.agentId, nickname: a.nickname, isAdmin: a.role === 'admin' };
      const questionTypes = [...form.questionTypes].sort((x, y) => x.order - y.order).map((q) => ({ id: q.id, label: q.label }));
      const message = await conversations.send(caller.companyId, p.conversationId, sender, {
        clientId: `form-push:${p.conversationId}:${Number(n) + 1}`,
        kind: 'form',
        text: null,
        payload: { request: true, fields, questionTypes },
      });
      return { message };
    },
  });
}

export function infoFormVisitorHandlers(c: DependencyContainer): Map<string, VisitorHandler> {
  const db = c.resolve<Db>(TOKENS.Db);
  const store = c.resolve(MessageStore);
  const notifier = c.resolve(RealtimeNotifier);

  async function submit(p: z.output<typeof formSubmit>, { visitor }: VisitorCaller) {
    const t = new Tenant(db, visitor.companyId);
    const conv = await t.q('conversations').where({ id: p.conversationId, visitor_id: visitor.id }).first('status');
    if (!conv) throw notFound('Conversation not found');
    const again = await t.q('messages').where({ conversation_id: p.conversationId, client_id: p.clientId }).first('id');
    if (!again && !(await pendingForm(t, p.conversationId))) throw conflict('form_not_pending', 'No information form is waiting');
    const { fields } = await submitPrechat(c, visitor, p.fields, { source: 'pushed', conversationId: p.conversationId });
    const { message, duplicate } = await store.append(t, p.conversationId, {
      clientId: p.clientId,
      senderKind: 'visitor',
      senderId: String(visitor.id),
      senderName: null,
      kind: 'form',
      text: Object.entries(fields)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n'),
      payload: { fields },
    });
    if (!duplicate) {
      notifier.toAgents(rooms.conversation(p.conversationId), 'message', { message });
      notifier.toVisitors(rooms.conversation(p.conversationId), 'message', { message });
    }
    return { message };
  }

  return new Map<string, VisitorHandler>([['form.submit', { spec: { schema: formSubmit, handler: submit } }]]);
}
