/** Drafts per conversation and account (CONV-DRAFT-25): in memory, mirrored to localStorage. */
const memory = new Map<string, string>();
const key = (agentId: number, conversationId: number) => `kefu.draft.${agentId}.${conversationId}`;

export function loadDraft(agentId: number, conversationId: number): string {
  const k = key(agentId, conversationId);
  if (memory.has(k)) return memory.get(k)!;
  try {
    return localStorage.getItem(k) ?? '';
  } catch {
    return '';
  }
}

export function saveDraft(agentId: number, conversationId: number, text: string): void {
  const k = key(agentId, conversationId);
  memory.set(k, text);
  try {
    if (text) localStorage.setItem(k, text);
    else localStorage.removeItem(k);
  } catch {
    // Storage full or off: the draft lives in memory for this tab.
  }
}
