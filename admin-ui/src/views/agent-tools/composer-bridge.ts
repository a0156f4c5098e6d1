import { shallowRef } from 'vue';

/** Text a side-panel tab asks the chat input to insert at its cursor, without sending (CHATSET-CANNEDUSE-8). */
export const composerInsert = shallowRef<{ text: string; serial: number } | null>(null);
let serial = 0;

export function insertIntoComposer(text: string) {
  composerInsert.value = { text, serial: ++serial };
}

/** Fills the placeholders of CHATSET-WELCOME-1; unknown ones stay as typed. */
export function fillPlaceholders(text: string, values: { visitor: string; agent: string; company: string }) {
  return text.replace(/\{(visitor|agent|company)\}/g, (_, name: keyof typeof values) => values[name]);
}
