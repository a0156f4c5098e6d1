import crypto from 'node:crypto';
import test from 'ava';
import { signIn } from './helpers/accounts.ts';
import { call, next } from './helpers/sockets.ts';
import { closeAll, type CollabKefu, driver, online, served, startCollab } from './helpers/collab.ts';

/** Who served a conversation from when to when (CONV-STATES-3, CONV-TRANSFER-33), as history shows it. */
let c: CollabKefu;

test.before(async () => {
  c = await startCollab();
});
test.after.always(() => c?.k.close());

const segmentsOf = async (conversationId: number) => (await c.admin.get(`/api/history/conversations/${conversationId}`)).body.segments;

test.serial(
  `CONV-TRANSFER-33 CONV-STATES-3 accept, transfer, take-over and end each close one agent's time segment and open the next (${driver})`,
  async (t) => {
    const k = c.k;
    const [a, b, m] = [await online(k, 'ann'), await online(k, 'bob'), await online(k, 'mon')];
    const { v, conv } = await served(k, a);
    let segs = await segmentsOf(conv.id);
    t.is(segs.length, 1);
    t.like(segs[0], { agent: { id: c.id.ann, nickname: 'ann' }, startedBy: 'manual', endedAt: null, endReason: null });

    const st = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.bob });
    t.is((await segmentsOf(conv.id)).length, 1, 'a pending transfer changes nobody’s segment');
    t.true((await call(b, 'transfer.respond', { transferId: st.transfer.id, accept: true })).ok);

    t.true((await call(m, 'monitor.start', { agentId: c.id.bob })).ok);
    t.true((await call(m, 'conversation.takeover', { conversationId: conv.id })).ok);

    const ended = next(m, 'conversation.updated', (e) => e.conversation.status === 'ended');
    t.true((await call(m, 'conversation.end', { conversationId: conv.id })).ok);
    await ended;

    segs = await segmentsOf(conv.id);
    t.deepEqual(
      segs.map((s: any) => [s.agent.nickname, s.startedBy, s.endReason]),
      [
        ['ann', 'manual', 'transfer'],
        ['bob', 'transfer', 'takeover'],
        ['mon', 'takeover', 'agent_ended'],
      ],
    );
    for (let i = 0; i < segs.length; i++) {
      t.truthy(segs[i].endedAt, `segment ${i} is closed`);
      t.true(segs[i].startedAt <= segs[i].endedAt, 'each segment starts before it ends');
      if (i) t.is(segs[i].startedAt, segs[i - 1].endedAt, 'the next agent starts where the previous one stopped');
    }
    const row = await k.server.db('conversations').where({ id: conv.id }).first('ended_at');
    t.true(Math.abs(Date.parse(segs[2].endedAt) - new Date(row.ended_at).getTime()) < 2000, 'the last segment ends with the conversation');
    await closeAll(a, b, m, v.socket);
  },
);

test.serial(
  `CONV-TRANSFER-33 a rejected transfer leaves one segment; an agent without history rights cannot read another's segments (${driver})`,
  async (t) => {
    const k = c.k;
    const [a, b] = [await online(k, 'ann'), await online(k, 'bob')];
    const { v, conv } = await served(k, a);
    const st = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.bob });
    t.true((await call(b, 'transfer.respond', { transferId: st.transfer.id, accept: false, reason: 'busy' })).ok);
    await call(v.socket, 'message.send', { conversationId: conv.id, clientId: crypto.randomUUID(), text: 'hello' });
    t.true((await call(v.socket, 'chat.end', { conversationId: conv.id })).ok);
    const segs = await segmentsOf(conv.id);
    t.deepEqual(
      segs.map((s: any) => [s.agent.nickname, s.startedBy, s.endReason]),
      [['ann', 'manual', 'visitor_ended']],
    );
    const bob = await signIn(k, 'bob');
    t.is((await bob.get(`/api/history/conversations/${conv.id}`)).status, 404, 'bob never served it');
    await closeAll(a, b, v.socket);
  },
);
