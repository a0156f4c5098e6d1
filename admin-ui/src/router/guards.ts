import type { Router } from 'vue-router';
import { landingPath } from '@/layouts/navigation';
import { useAdminPluginsStore } from '@/stores/admin-plugins';
import { useSessionStore } from '@/stores/session';
import { canOpen, safeRedirect } from './access';
import { OTP_BIND_PATH, ROUTE } from './route-names';

/** The only screen a restricted session may open. */
export function restrictionPath(router: Router, restriction: string): string {
  if (restriction === 'otp_binding_required') {
    return router.resolve(OTP_BIND_PATH).name === ROUTE.notFound ? '/restricted' : OTP_BIND_PATH;
  }
  if (restriction === 'password_change_required') return '/change-password';
  return '/restricted';
}

/** Where a signed-in agent goes when no particular screen was asked for. */
export function startPath(router: Router, redirect?: unknown): string {
  const session = useSessionStore();
  if (session.restriction) return restrictionPath(router, session.restriction);
  const asked = safeRedirect(redirect);
  // The address may be left from someone else's session on this browser: only a screen this agent may open counts.
  if (asked && canOpen(session, router.resolve(asked).meta)) return asked;
  return landingPath(session, useAdminPluginsStore().menus);
}

export function installGuards(router: Router): void {
  router.beforeEach(async (to) => {
    const session = useSessionStore();

    if (session.status === 'unknown') {
      await session.load();
      if (session.isAuthenticated) {
        await useAdminPluginsStore().sync(router, session.plugins);
        // Plugin routes exist only now: an address of a plugin screen must be matched again.
        if (to.name === ROUTE.notFound && router.resolve(to.fullPath).name !== ROUTE.notFound) return to.fullPath;
      }
    }
    if (session.status === 'unreachable') return true; // App shows "cannot reach the server" with a retry

    if (to.meta.public) {
      return session.isAuthenticated && to.name === ROUTE.login ? startPath(router, to.query.redirect) : true;
    }
    if (!session.isAuthenticated) {
      return { name: ROUTE.login, query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    }
    if (session.restriction) {
      const target = restrictionPath(router, session.restriction);
      return to.path === target ? true : target;
    }
    if (to.name === ROUTE.home || to.name === ROUTE.restricted || to.name === ROUTE.changePassword) {
      return startPath(router);
    }
    return true;
  });
}
