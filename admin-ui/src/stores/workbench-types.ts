import type { z } from 'zod';
import { agentClient, type AgentClient, type PushOf, type TypedClient } from '@kefu/core/protocol/client';
import type { agentServerEvents, liveVisitorView, agentStatus } from '@kefu-protocol/agent-events';
import type { collabAgentEvents, collabAgentServerEvents } from '@kefu-protocol/collab-events';
import type { ConversationView, MessageView } from '@kefu-protocol/message-schemas';

export type { AgentClient, ConversationView, MessageView };
export type LiveVisitor = z.infer<typeof liveVisitorView>;
export type AgentStatus = z.infer<typeof agentStatus>;
/** The agent actions of SPEC §2.1 (transfer, monitor, whisper, take over, invite) over the same socket. */
export type CollabClient = TypedClient<typeof collabAgentEvents, typeof collabAgentServerEvents>;
export const collabOf = (c: AgentClient): CollabClient => agentClient(c.socket) as unknown as CollabClient;
export type AgentPush<K extends keyof typeof agentServerEvents> = PushOf<typeof agentServerEvents, K>;

/** A message of the chat pane: a stored one, or one of ours still on its way (CONV-IDEMPOTENT-9). */
export interface ChatItem {
  key: string;
  message: MessageView | null;
  clientId: string;
  text: string;
  /** sending: queued or in flight; failed: refused for good or not answered yet (resend offered). */
  state: 'sent' | 'sending' | 'failed';
  error?: string;
}

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';
