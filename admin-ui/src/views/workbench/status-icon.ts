import type { AgentStatus } from '@/stores/workbench-types';

/** What the indicator shows: the agent's status, or offline while the link is down (MAIN-INDICATOR-3). */
export type ShownStatus = AgentStatus | 'offline';

/** A symbol per status for the tab title, so the status reads without colour. */
export const STATUS_SYMBOL: Record<ShownStatus, string> = { online: '●', busy: '⊖', away: '◷', invisible: '◌', offline: '○' };

const COLOURS: Record<ShownStatus, string> = { online: '#1f9d55', busy: '#d64545', away: '#d18a00', invisible: '#8a8f98', offline: '#8a8f98' };

/**
 * The status as a shape and a colour (never colour alone): offline a grey ring, online a green dot, busy a red dot
 * with a bar, away an amber clock, invisible a dashed ring. One drawing for the status-bar badge and the favicon.
 */
export function statusSvg(status: ShownStatus): string {
  const c = COLOURS[status];
  const body = {
    online: `<circle cx="16" cy="16" r="13" fill="${c}"/>`,
    busy: `<circle cx="16" cy="16" r="13" fill="${c}"/><rect x="8" y="13.5" width="16" height="5" rx="1.5" fill="#fff"/>`,
    away: `<circle cx="16" cy="16" r="12" fill="#fff" stroke="${c}" stroke-width="4"/><path d="M16 9v7.5l5 3" fill="none" stroke="${c}" stroke-width="3" stroke-linecap="round"/>`,
    invisible: `<circle cx="16" cy="16" r="12" fill="none" stroke="${c}" stroke-width="4" stroke-dasharray="5 4"/>`,
    offline: `<circle cx="16" cy="16" r="12" fill="none" stroke="${c}" stroke-width="4"/>`,
  }[status];
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${body}</svg>`;
}

export const statusIconUrl = (status: ShownStatus) => `data:image/svg+xml,${encodeURIComponent(statusSvg(status))}`;
