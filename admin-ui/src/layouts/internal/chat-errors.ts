import { errorText } from '@/utils/error-text';

const CHAT_CODES = ['chat_limit', 'mention_all_forbidden', 'chat_manage_forbidden', 'group_chat'];

/** The group-chat refusals (INTERNAL-GROUPCHAT-7) in words; anything else as the console says errors. */
export function chatErrorText(t: (key: string) => string, error: unknown): string {
  const code = (error as { code?: string })?.code;
  return code && CHAT_CODES.includes(code) ? t(`internal.chats.errors.${code}`) : errorText(error);
}
