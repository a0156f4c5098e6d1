import test from 'ava';
import { agentSocket, call, next, startTestServer, visitorSocket, type TestClient, type TestKefu } from '@kefu/core/testing';

let k: TestKefu;
let admin: TestClient;
test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
});
test.after.always(() => k?.close());

/** A browsing visitor who left a message, as the console's API names them. */
async function leftAMessage() {
  const v = await visitorSocket(k.url, k.company.publicId);
  t0(await call(v.socket, 'page.view', { url: 'https://shop.example.com/', title: 'Home' }));
  const row = await k.server.db('visitors').where({ company_id: k.company.id, number: v.visitorNumber }).first('id');
  const [m] = await k.server.db('leave_messages').insert({ company_id: k.company.id, visitor_id: row.id, content: 'Call me' }).returning('id');
  return { ...v, visitorId: Number(row.id), leaveMessageId: Number(m.id) };
}
const t0 = (ack: any) => {
  if (!ack.ok) throw new Error(JSON.stringify(ack));
};

test.serial(
  'LEAVEMSG-CHAT-10 while the visitor is on the site the detail invites or starts a chat, and what it led to is linked to the leave-message',
  async (t) => {
    const console = await agentSocket(k.url, admin);
    t0(await call(console, 'presence.set', { status: 'online' }));
    const v = await leftAMessage();
    try {
      const before = await admin.get(`/api/leave-messages/${v.leaveMessageId}/outreach`);
      t.is(before.status, 200, before.text);
      t.deepEqual(before.body, { visitorOnline: true, items: [] });

      // 邀请访客: the visitor sees the invitation and accepts; the conversation shows in the detail.
      const shown = next(v.socket, 'invitation');
      const changed = next(console, 'leaveMessages.changed', (e) => e.ids.includes(v.leaveMessageId));
      const invited = await admin.post(`/api/leave-messages/${v.leaveMessageId}/outreach`, { kind: 'invite', text: 'About your message: can I help now?' });
      t.is(invited.status, 201, invited.text);
      t.is((await shown).invitation.text, 'About your message: can I help now?');
      await changed;
      t.like((await admin.get(`/api/leave-messages/${v.leaveMessageId}/outreach`)).body.items[0], { kind: 'invite', status: 'pending', conversationId: null });
      const accepted = await call(v.socket, 'invitation.respond', { invitationId: invited.body.invitation.id, accept: true });
      t0(accepted);
      const after = (await admin.get(`/api/leave-messages/${v.leaveMessageId}/outreach`)).body;
      t.like(after.items[0], { kind: 'invite', status: 'accepted', conversationId: accepted.conversation.id });
      t.truthy(after.items[0].agentName);

      // While chatting the visitor is busy: the invitation service's refusal comes through.
      const busy = await admin.post(`/api/leave-messages/${v.leaveMessageId}/outreach`, { kind: 'proactive' });
      t.is(busy.status, 409);
      t.is(busy.body.error.code, 'visitor_busy');
      t0(await call(console, 'conversation.end', { conversationId: accepted.conversation.id }));

      // 主动对话 opens the chat at once with the agent's first message.
      const opened = next(v.socket, 'proactive.open');
      const proactive = await admin.post(`/api/leave-messages/${v.leaveMessageId}/outreach`, { kind: 'proactive', text: 'Hello again, about your message' });
      t.is(proactive.status, 201, proactive.text);
      t.is((await opened).message.text, 'Hello again, about your message');
      const items = (await admin.get(`/api/leave-messages/${v.leaveMessageId}/outreach`)).body.items;
      t.deepEqual(
        items.map((x: any) => [x.kind, x.conversationId]),
        [
          ['proactive', proactive.body.conversation.id],
          ['invite', accepted.conversation.id],
        ],
      );
      t0(await call(console, 'conversation.end', { conversationId: proactive.body.conversation.id }));
    } finally {
      console.close();
      v.socket.close();
    }
  },
);

test.serial('LEAVEMSG-CHAT-10 a visitor who left is not offered, permissions apply and another company’s leave-message is not found', async (t) => {
  const v = await leftAMessage();
  v.socket.close();
  await k.server
    .db('visitors')
    .where({ id: v.visitorId })
    .update({ last_seen_at: new Date(Date.now() - 3_600_000) });
  t.false((await admin.get(`/api/leave-messages/${v.leaveMessageId}/outreach`)).body.visitorOnline);
  t.is((await admin.post(`/api/leave-messages/${v.leaveMessageId}/outreach`, { kind: 'invite', text: 'x'.repeat(201) })).status, 400);

  const created = await admin.post('/api/agents', {
    agentId: 'mute',
    name: 'mute',
    password: 'Quiet-river-42',
    mustChangePassword: false,
    permissions: ['conversation.accept'],
  });
  t.is(created.status, 201, created.text);
  const quiet = await k.login('mute', 'Quiet-river-42');
  const refused = await quiet.post(`/api/leave-messages/${v.leaveMessageId}/outreach`, { kind: 'invite' });
  t.is(refused.status, 403);
  t.is(refused.body.error.permission, 'visitor.invite');

  const other = await k.createCompany('Other');
  const stranger = await k.login('admin', other.adminPassword, other.publicId);
  t.is((await stranger.get(`/api/leave-messages/${v.leaveMessageId}/outreach`)).status, 404);
  t.is((await stranger.post(`/api/leave-messages/${v.leaveMessageId}/outreach`, { kind: 'proactive' })).status, 404);
});
