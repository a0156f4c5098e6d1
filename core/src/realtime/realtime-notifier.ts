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
  /** Read-only followers of a running conversation's transcript in 历史对话 (HISTORY-ONGOING-13). */
  follow: (conversationId: number) => `follow:${conversationId}`,
};

/**
 * Pushes that replace a row, list or counter of the workbench carry `at` (the emitting
 * node's clock, ms): the console drops those older than the snapshot it loaded (MAIN-LIVE-5).
 */
const VERSIONED = new Set(['queue.changed', 'conversation.updated', 'visitor.updated', 'visitor.hidden', 'presence.self']);
const stamped = (event: string, payload: unknown) =>
  VERSIONED.has(event) && payload && typeof payload === 'object' ? { ...payload, at: Date.now() } : payload;

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
    // What a conversation's consoles get, its history followers get too: one emit, sockets deduplicated.
    const to = typeof room === 'string' && room.startsWith('conversation:') ? [room, `follow:${room.slice(13)}`] : room;
    this.io?.of('/agent').to(to).emit(event, stamped(event, payload));
  }

  /** To a room's consoles except those also in `except` (e.g. everyone but the admins). */
  toAgentsExcept(room: string, except: string, event: string, payload: unknown) {
    this.io?.of('/agent').to(room).except(except).emit(event, stamped(event, payload));
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

  /** One console socket (on any node) starts or stops following a transcript (HISTORY-ONGOING-13). */
  follow(socketId: string, conversationId: number, on: boolean) {
    const socket = this.io?.of('/agent').in(socketId);
    if (on) socket?.socketsJoin(rooms.follow(conversationId));
    else socket?.socketsLeave(rooms.follow(conversationId));
  }

  async agentHasSockets(agentId: number): Promise<boolean> {
    if (!this.io) return false;
    return (await this.io.of('/agent').in(rooms.agent(agentId)).fetchSockets()).length > 0;
  }
}
