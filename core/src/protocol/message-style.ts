import { z } from 'zod';
import { MESSAGE_COLOR_CODES, type MessageColor } from './message-palette.ts';

export { MESSAGE_BACKGROUNDS, MESSAGE_COLOR_CODES, MESSAGE_COLORS, type MessageColor } from './message-palette.ts';

/** Stored with the message as `payload.style`; no colour is the theme's text colour. */
export const messageStyle = z.strictObject({
  color: z.enum(MESSAGE_COLOR_CODES as [MessageColor, ...MessageColor[]]).optional(),
  bold: z.boolean().optional(),
});
export type MessageStyle = z.infer<typeof messageStyle>;
