import http from 'node:http';
import { Server, type Socket } from 'socket.io';

/**
 * The physical limit of the stack: a bare socket.io server speaking the same
 * events as Kefu (`/visitor` and `/agent`, `chat.request`, `message.send` with
 * an ack, `message` fanned out to the conversation room in both namespaces,
 * `page.view` pushed to every agent as `visitor.updated`) but with no database, validation, hooks or permissions. In-memory adapter, like a
 * single Kefu node without REDIS_URL. Prints `listening <port>`; SIGTERM stops it.
 */
const server = http.createServer();
const io = new Server(server, { serveClient: false, maxHttpBufferSize: 1e6, cors: { origin: true } });
const agents = io.of('/agent');
const visitors = io.of('/visitor');
let nextConversation = 1;
let nextMessage = 1;
const seqs = new Map<number, number>();
let agentCount = 0;
let nextVisitor = 1;

function relay(socket: Socket, senderKind: 'visitor' | 'agent') {
  socket.on('message.send', (p: { conversationId: number; clientId: string; text: string }, ack?: (r: unknown) => void) => {
    const seq = (seqs.get(p.conversationId) ?? 0) + 1;
    seqs.set(p.conversationId, seq);
    const message = {
      id: nextMessage++,
      conversationId: p.conversationId,
      seq,
      clientId: p.clientId,
      senderKind,
      text: p.text,
      createdAt: new Date().toISOString(),
    };
    const room = `conversation:${p.conversationId}`;
    agents.to(room).emit('message', { message });
    visitors.to(room).emit('message', { message });
    ack?.({ ok: true, message });
  });
}

agents.on('connection', (socket) => {
  const id = ++agentCount;
  socket.join([`agent:${id}`, 'company']);
  socket.on('workbench.snapshot', (_p: unknown, ack?: (r: unknown) => void) => ack?.({ ok: true }));
  relay(socket, 'agent');
});

visitors.on('connection', (socket) => {
  socket.emit('session', { token: 'bare', conversation: null });
  const visitor = { id: nextVisitor++, state: 'browsing', currentUrl: '', currentTitle: '', lastSeenAt: '' };
  socket.on('page.view', (p: { url: string; title?: string }, ack?: (r: unknown) => void) => {
    Object.assign(visitor, { currentUrl: p.url, currentTitle: p.title ?? null, lastSeenAt: new Date().toISOString() });
    agents.to('company').emit('visitor.updated', { visitor });
    ack?.({ ok: true, visitId: visitor.id });
  });
  socket.on('chat.request', (_p: unknown, ack?: (r: unknown) => void) => {
    const id = nextConversation++;
    // Round-robin over the agents connected so far, like an even auto-assignment.
    const agent = (id % Math.max(agentCount, 1)) + 1;
    const room = `conversation:${id}`;
    socket.join(room);
    agents.in(`agent:${agent}`).socketsJoin(room);
    ack?.({ ok: true, conversation: { id, status: 'active', agentId: agent }, position: null });
  });
  relay(socket, 'visitor');
});

server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as { port: number }).port}`));
process.on('SIGTERM', () => io.close(() => process.exit(0)));
