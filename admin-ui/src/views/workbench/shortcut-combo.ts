/** The defaults of OTHERSET-SHORTCUTS-7 the workbench acts on, until the agent's own settings arrive. */
export const WORKBENCH_SHORTCUTS = { nextConversation: 'Alt+Z', previousConversation: 'Alt+X', monitor: 'Alt+M' } as const;

/**
 * A key press in the spelling the server stores combinations in (core normalizeCombo: Ctrl, Alt, Shift, Meta,
 * then the key upper-cased), so `Alt+Z` matches however it was recorded. The physical key (`code`) is used for
 * letters and digits: with Alt held, macOS reports another character as `key`.
 */
export function comboOf(e: KeyboardEvent): string {
  const key = /^Key[A-Z]$/.test(e.code) ? e.code.slice(3) : /^Digit\d$/.test(e.code) ? e.code.slice(5) : e.key.toUpperCase();
  return [e.ctrlKey && 'Ctrl', e.altKey && 'Alt', e.shiftKey && 'Shift', e.metaKey && 'Meta', key].filter(Boolean).join('+');
}
