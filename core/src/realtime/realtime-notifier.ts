import type { Server } from 'socket.io';
import { injectable } from '../infra/di.ts';

export const rooms = {
  company: (id: number) => `company:${id}`,
  /** The company's admins' consoles: they alone see 隐身 (INTERNAL-PRESENCE-2). */
  admins: (companyId: number) => `admins:${companyId}`,
  agent: (id: number) => `agent:${id}`,
  session: (id: number) => `session:${id}`,
  conversation: (id: number) => `conversation:${id}`,
  visitor: (id: number) => `visitor:${id}`,
};

/**
 * How services push to browsers without knowing socket.io: emits go through
 * the adapter, so with Redis they reach sockets on every node.
 */
@injectable()
export class RealtimeNotifier {
  private io: Server | null = null;

  attach(io: Server) {
    this.io = io;
  }

  toAgents(room: string | string[], event: string, payload: unknown) {
    this.io?.of('/agent').to(room).emit(event, payload);
  }

  /** To a room's consoles except those also in `except` (e.g. everyone but the admins). */
  toAgentsExcept(room: string, except: string, event: string, payload: unknown) {
    this.io?.of('/agent').to(room).except(except).emit(event, payload);
  }

  toVisitors(room: string, event: string, payload: unknown) {
    this.io?.of('/visitor').to(room).emit(event, payload);
  }

  /** Makes every socket (any node) of an agent or visitor join a conversation room. */
  joinConversation(conversationId: number, who: { agentId?: number; visitorId?: number }) {
    if (who.agentId) this.io?.of('/agent').in(rooms.agent(who.agentId)).socketsJoin(rooms.conversation(conversationId));
    if (who.visitorId) this.io?.of('/visitor').in(rooms.visitor(who.visitorId)).socketsJoin(rooms.conversation(conversationId));
  }

  leaveConversation(conversationId: number, who: { agentId?: number }) {
    if (who.agentId) this.io?.of('/agent').in(rooms.agent(who.agentId)).socketsLeave(rooms.conversation(conversationId));
  }

  async agentHasSockets(agentId: number): Promise<boolean> {
    if (!this.io) return false;
    return (await this.io.of('/agent').in(rooms.agent(agentId)).fetchSockets()).length > 0;
  }
}
