import type { RouteMeta } from 'vue-router';
import type { useSessionStore } from '@/stores/session';

type Session = ReturnType<typeof useSessionStore>;

/** Whether the signed-in agent may open a screen with this meta (the server still checks every call). */
export function canOpen(session: Session, meta: RouteMeta): boolean {
  if (meta.public) return true;
  if (!session.me) return false;
  if (meta.adminOnly && !session.isAdmin) return false;
  if (meta.listed && typeof meta.permission === 'string' && !session.me.permissions.includes(meta.permission)) return false;
  return session.can(meta.permission);
}

/** A same-origin path to return to after login (SPEC MAIN-LANDING-2); anything else is ignored. */
export function safeRedirect(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  if (value.startsWith('/login')) return null;
  return value;
}
