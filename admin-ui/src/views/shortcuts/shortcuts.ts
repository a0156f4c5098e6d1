/** The keyboard shortcuts the console has today (SPEC OTHERSET-SHORTCUTS-7, -SWITCH-6, -SENDKEY-5), for the `?` help. */
export interface Shortcut {
  keys: string[];
  /** Catalogue key under `shortcuts.actions`. */
  action: string;
  /** Where it works, under `shortcuts.scopes`. */
  scope: 'everywhere' | 'workbench' | 'composer';
  /** Needed to use it; absent when anyone may. */
  permission?: string;
}

export const SHORTCUTS: Shortcut[] = [
  { keys: ['?'], action: 'help', scope: 'everywhere' },
  { keys: ['Alt', 'Z'], action: 'nextUnread', scope: 'workbench' },
  { keys: ['Alt', 'M'], action: 'monitor', scope: 'workbench', permission: 'conversation.monitor' },
  { keys: ['Enter'], action: 'send', scope: 'composer' },
  { keys: ['Shift', 'Enter'], action: 'newLine', scope: 'composer' },
  { keys: ['Esc'], action: 'closeDialog', scope: 'everywhere' },
];

/** `?` opens the help unless the agent is typing somewhere. */
export function isHelpKey(event: KeyboardEvent): boolean {
  if (event.key !== '?' || event.ctrlKey || event.altKey || event.metaKey) return false;
  const target = event.target as HTMLElement | null;
  return !target?.closest('input, textarea, select, [contenteditable="true"]');
}
