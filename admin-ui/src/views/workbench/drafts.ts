import { reactive } from 'vue';

/**
 * Drafts per conversation and account (CONV-DRAFT-25): in memory, mirrored to localStorage so a reload, a lost
 * connection or a new sign-in finds them; kept 7 days. Reactive, so the conversation list can mark drafts (✎).
 */
const KEEP_MS = 7 * 24 * 3600 * 1000;
const memory = reactive(new Map<string, string>());
const key = (agentId: number, conversationId: number) => `kefu.draft.${agentId}.${conversationId}`;

function stored(k: string): string {
  try {
    const raw = localStorage.getItem(k);
    if (!raw) return '';
    const { text, at } = JSON.parse(raw) as { text?: unknown; at?: unknown };
    if (typeof text === 'string' && typeof at === 'number' && Date.now() - at < KEEP_MS) return text;
    localStorage.removeItem(k);
  } catch {
    // Unreadable or storage off: no draft.
  }
  return '';
}

export function loadDraft(agentId: number, conversationId: number): string {
  const k = key(agentId, conversationId);
  if (!memory.has(k)) memory.set(k, stored(k));
  return memory.get(k)!;
}

/** Read-only, so lists may call it while rendering. */
export function hasDraft(agentId: number, conversationId: number): boolean {
  const k = key(agentId, conversationId);
  return (memory.has(k) ? memory.get(k)! : stored(k)).trim() !== '';
}

export function saveDraft(agentId: number, conversationId: number, text: string): void {
  const k = key(agentId, conversationId);
  if (memory.get(k) === text) return;
  memory.set(k, text);
  try {
    if (text) localStorage.setItem(k, JSON.stringify({ text, at: Date.now() }));
    else localStorage.removeItem(k);
  } catch {
    // Storage full or off: the draft lives in memory for this tab.
  }
}
