import { forbiddenCode } from '../http/errors.ts';

/** `@所有人` "everyone" (SPEC INTERNAL-GROUPCHAT-7). */
export const MENTION_ALL = '@所有人';

export interface Mentions {
  agentIds: number[];
  all: boolean;
}

// A nickname ends at the text's end, a space or punctuation, so `@Bo` is not found inside `@Bob`.
const END = /^($|[\s,，.。:：;；!！?？、)）\]】'"“”])/u;

/**
 * Who a group-chat message names: every member whose `@nickname` occurs, and
 * whether `@所有人` occurs. Parsed on the server from the stored text, so a
 * console cannot notify anyone the text does not name.
 */
export function findMentions(text: string | null | undefined, members: { id: number; nickname: string }[], senderId: number): Mentions {
  if (!text || !text.includes('@')) return { agentIds: [], all: false };
  const agentIds = members
    .filter((m) => m.id !== senderId && m.nickname)
    .filter((m) => {
      const needle = `@${m.nickname}`;
      for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) if (END.test(text.slice(at + needle.length))) return true;
      return false;
    })
    .map((m) => m.id);
  const all =
    text.split(MENTION_ALL).length > 1 &&
    text
      .split(MENTION_ALL)
      .slice(1)
      .some((rest) => END.test(rest));
  return { agentIds, all };
}

/** `@所有人` only for the chat's creator and admins, and in a group's chat also holders of `groups.manage`. */
export function assertMayMentionAll(may: boolean) {
  if (!may) throw forbiddenCode('mention_all_forbidden', 'Only the chat creator and admins may mention everyone (@所有人)');
}
