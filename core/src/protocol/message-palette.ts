/**
 * The colours an agent may give their own messages (CONV-FONT-13): a message carries the palette code, never CSS,
 * and each client draws the code with the variant of its theme. Every variant keeps 4.5:1 contrast on the message
 * backgrounds of its theme (core/test/chat-pane-tools.test.ts checks them). No zod here: both front ends import this file.
 */
export const MESSAGE_COLORS = {
  red: { light: '#c62828', dark: '#ff8a80' },
  orange: { light: '#a84300', dark: '#ffb74d' },
  green: { light: '#1b5e20', dark: '#81c784' },
  teal: { light: '#00695c', dark: '#4db6ac' },
  blue: { light: '#1565c0', dark: '#90caf9' },
  purple: { light: '#6a1b9a', dark: '#ce93d8' },
  pink: { light: '#ad1457', dark: '#f48fb1' },
  brown: { light: '#5d4037', dark: '#bcaaa4' },
} as const;
export type MessageColor = keyof typeof MESSAGE_COLORS;
export const MESSAGE_COLOR_CODES = Object.keys(MESSAGE_COLORS) as MessageColor[];

/** The backgrounds agent messages are drawn on: the console's own-message bubble and the widget's agent bubble, per theme. */
export const MESSAGE_BACKGROUNDS = { light: ['#ffffff', '#d9ecff', '#f5f7fa'], dark: ['#141414', '#1d1e1f', '#18222c'] } as const;

/** How a client draws a message's `payload.style`: the colour pair of a known code and bold; unknown codes are ignored. */
export function shownStyle(payload: Record<string, unknown> | null | undefined): { color: { light: string; dark: string } | null; bold: boolean } {
  const style = payload?.style as { color?: unknown; bold?: unknown } | undefined;
  const code = typeof style?.color === 'string' && Object.prototype.hasOwnProperty.call(MESSAGE_COLORS, style.color) ? (style.color as MessageColor) : null;
  return { color: code ? MESSAGE_COLORS[code] : null, bold: style?.bold === true };
}
