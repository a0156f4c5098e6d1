import type { AuthInfo } from '../auth/auth-info.ts';
import { conflict, forbidden, validationFailed } from '../http/errors.ts';
import type { PermissionDef } from './permissions.ts';

/**
 * AGENT-PERMS-16 / AGENT-PRIMARY-10: what the caller may do to a target agent.
 * Non-admin managers act only on non-admin agents whose permissions are a subset of their own.
 */
export function assertMayManage(actor: AuthInfo, target: { id: number; role: string; is_primary: boolean; permissions: string[] }) {
  if (target.is_primary && actor.agent.id !== Number(target.id)) throw forbidden('admin', 'Only the primary administrator manages its own account');
  if (actor.agent.role === 'admin') return;
  if (target.role === 'admin') throw forbidden('admin', 'Only administrators manage administrators');
  const missing = (target.permissions ?? []).find((p) => !actor.can(p));
  if (missing) throw forbidden(missing, `You cannot manage an agent holding ${missing}`);
}

/** Checks a permission list: known names only; non-admins grant only what they hold. */
export function assertGrantable(actor: AuthInfo, requested: string[], before: string[], catalog: PermissionDef[]) {
  const known = new Set(catalog.map((d) => d.name));
  const unknown = requested.filter((p) => !known.has(p));
  if (unknown.length) throw validationFailed(unknown.map((p) => ({ path: 'permissions', code: 'unknown_permission', message: `Unknown permission ${p}` })));
  if (actor.agent.role === 'admin') return;
  const changed = [...requested.filter((p) => !before.includes(p)), ...before.filter((p) => !requested.includes(p))];
  const notHeld = changed.find((p) => !actor.can(p));
  if (notHeld) throw forbidden(notHeld, `You cannot grant or revoke ${notHeld}`);
}

export function assertNotSelf(actor: AuthInfo, targetId: number, what: 'modify' | 'delete') {
  if (actor.agent.id === targetId)
    throw conflict(what === 'delete' ? 'cannot_delete_self' : 'cannot_modify_self', `You cannot ${what} your own account this way`);
}
