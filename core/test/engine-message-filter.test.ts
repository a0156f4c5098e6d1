import crypto from 'node:crypto';
import test from 'ava';
import { HookRegistry } from '../src/hooks/hook-registry.ts';
import { call } from './helpers/sockets.ts';
import { closeAll, type CollabKefu, driver, online, served, startCollab } from './helpers/collab.ts';

/** CONV-FILTER-10: every message passes message.beforeSend with its actor before it is stored. */
let c: CollabKefu;

test.before(async () => {
  c = await startCollab();
});
test.after.always(() => c?.k.close());

test.serial(
  `CONV-FILTER-10 a filter rewrites or halts messages from both sides before they are stored; message.created follows only stored ones (${driver})`,
  async (t) => {
    const hooks = c.k.server.container.resolve(HookRegistry);
    const actors: string[] = [];
    const created: string[] = [];
    const disposers = [
      hooks.addFilter(
        'message.beforeSend',
        (m, ctx) => {
          actors.push(ctx.actor.kind);
          if (m.text?.includes('forbidden')) return { stop: true as const, reason: 'contains a forbidden word' };
          return m.text ? { ...m, text: m.text.replace(/\d{12,19}/g, (d) => '*'.repeat(d.length - 4) + d.slice(-4)) } : undefined;
        },
        { owner: 'core', priority: 10 },
      ),
      hooks.addAction('message.created', (p) => void created.push(p.text ?? ''), { owner: 'core' }),
    ];
    try {
      const a = await online(c.k, 'ann');
      const { v, conv } = await served(c.k, a);
      const masked = await call(v.socket, 'message.send', { conversationId: conv.id, clientId: crypto.randomUUID(), text: 'card 6222020200112233445' });
      t.is(masked.message.text, 'card ***************3445', 'the stored text is the rewritten one');
      const before = Number((await c.k.server.db('messages').where({ conversation_id: conv.id }).count('* as n').first())!.n);
      const halted = await call(a, 'message.send', { conversationId: conv.id, clientId: crypto.randomUUID(), text: 'a forbidden offer' });
      t.is(halted.error.code, 'message_blocked');
      t.regex(halted.error.message, /forbidden word/, 'the agent is told why');
      const fromVisitor = await call(v.socket, 'message.send', { conversationId: conv.id, clientId: crypto.randomUUID(), text: 'forbidden too' });
      t.is(fromVisitor.error.code, 'message_blocked');
      t.is(Number((await c.k.server.db('messages').where({ conversation_id: conv.id }).count('* as n').first())!.n), before, 'nothing halted was stored');
      t.true(actors.includes('visitor') && actors.includes('agent'), 'the filter sees who sends');
      await new Promise((r) => setTimeout(r, 100));
      t.true(created.includes('card ***************3445'));
      t.false(
        created.some((x) => x.includes('forbidden')),
        'no message.created for a halted message',
      );
      await closeAll(a, v.socket);
    } finally {
      for (const d of disposers) d();
    }
  },
);
