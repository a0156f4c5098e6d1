import type { PluginChatMessage } from '@kefu/admin-ui/plugin';

/** A message the knowledge editor can take: a visitor's or an agent's text with something in it. */
const usable = (m: PluginChatMessage, sender: 'visitor' | 'agent') => m.senderKind === sender && m.kind === 'text' && !!m.text?.trim();
const joined = (list: readonly PluginChatMessage[]) =>
  list
    .map((m) => (m.text ?? '').trim())
    .filter(Boolean)
    .join('\n');

/** The agent's first text reply after a visitor's message, as the answer of a new entry. */
export function replyTo(message: PluginChatMessage, messages: readonly PluginChatMessage[]): string {
  const after = messages.slice(messages.findIndex((m) => m.id === message.id) + 1);
  const stop = after.findIndex((m) => m.senderKind === 'visitor');
  return (stop < 0 ? after : after.slice(0, stop)).find((m) => usable(m, 'agent'))?.text?.trim() ?? '';
}

/**
 * What 知识库添加 prefills the entry editor with (SPEC ROBOT-ADDCHAT-18, CONV-KB-23): the selected visitor messages
 * become the question and the selected agent messages the answer (either may be chosen, or both); with nothing
 * selected, the visitor's last question and the agent's reply to it. Null when the chat has nothing to offer.
 */
export function entryFromChat(selected: readonly PluginChatMessage[], messages: readonly PluginChatMessage[]): { question: string; answer: string } | null {
  const asked = selected.filter((m) => usable(m, 'visitor'));
  const told = selected.filter((m) => usable(m, 'agent'));
  if (asked.length || told.length) return { question: joined(asked), answer: joined(told) };
  const last = [...messages].reverse().find((m) => usable(m, 'visitor'));
  return last ? { question: (last.text ?? '').trim(), answer: replyTo(last, messages) } : null;
}
