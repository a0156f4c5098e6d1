import { ElMessage } from 'element-plus';
import { watch } from 'vue';
import type { Router } from 'vue-router';
import { setSessionLostHandler } from '@/api/client';
import { i18n } from '@/i18n';
import { provideConsoleBridge } from '@/plugins/define-admin-plugin';
import { restrictionPath, startPath } from '@/router/guards';
import { ROUTE } from '@/router/route-names';
import { useAdminPluginsStore } from '@/stores/admin-plugins';
import { useRealtimeStore } from '@/stores/realtime';
import { useSessionStore, type ReplacedBy } from '@/stores/session';
import { useWorkbenchStore } from '@/stores/workbench';

/**
 * Ties the session to the rest of the console: the realtime link lives while signed in, plugin
 * screens follow the company's plugins, and a session ended anywhere returns to the login page.
 */
export function installSessionLifecycle(router: Router): void {
  const session = useSessionStore();
  const realtime = useRealtimeStore();
  const plugins = useAdminPluginsStore();

  /** False during the first navigation and on the login page, whose own flow picks the next screen. */
  const settled = () => {
    const current = router.currentRoute.value;
    return current.matched.length > 0 && !current.meta.public;
  };

  const end = (reason: string, replacedBy: ReplacedBy | null = null) => {
    if (session.isAuthenticated) session.clear(reason, replacedBy);
  };

  setSessionLostHandler((error) => end(error.code));

  provideConsoleBridge({
    refreshSession: () => session.load(),
    locale: () => i18n.global.locale.value,
    can: (permission) => session.can(permission),
    sendText: (conversationId, text) => useWorkbenchStore().send(conversationId, text),
    navigate: async (path, query) => void (await router.push({ path, query })),
  });

  watch(
    () => session.status,
    (now, before) => {
      if (now === 'authenticated' && before !== 'authenticated') {
        void realtime.connect({
          pluginsChanged: (ids) => session.setPlugins(ids),
          sessionEnded: (reason, replacedBy) => end(reason, replacedBy),
          resynced: () => void session.load(),
          refused: () => void session.load(),
          // Permissions granted or removed while signed in show or hide controls and menus without a reload (MAIN-PERMS-8).
          agentChanged: (agentId) => agentId === session.me?.id && void session.load(),
        });
      }
      if (before === 'authenticated' && now !== 'authenticated') {
        realtime.disconnect();
        void plugins.sync(router, []);
        const current = router.currentRoute.value;
        if (!current.meta.public) {
          // A voluntary sign-out starts afresh; a session ended under the agent returns to the same screen.
          const query = session.endedReason ? { redirect: current.fullPath } : {};
          void router.replace({ name: ROUTE.login, query });
        }
      }
    },
  );

  // Plugins enabled or disabled while signed in: mount or remove their screens and menus live.
  watch(
    () => session.plugins,
    async (ids) => {
      if (!session.isAuthenticated) return;
      const failedBefore = plugins.failed.length;
      const changed = await plugins.sync(router, ids);
      for (const id of plugins.failed.slice(failedBefore)) {
        ElMessage.warning(i18n.global.t('shell.pluginLoadFailed', { id }));
      }
      const current = router.currentRoute.value;
      const orphaned = current.meta.plugin && !plugins.isMounted(current.meta.plugin);
      if (changed && settled() && (orphaned || current.name === ROUTE.notFound)) {
        void router.replace({ path: current.path, query: current.query, hash: current.hash, force: true });
      }
    },
  );

  // A restriction set or lifted while signed in (e.g. the dynamic password got bound).
  watch(
    () => session.restriction,
    (restriction, before) => {
      if (!session.isAuthenticated || restriction === before || !settled()) return;
      void router.replace(restriction ? restrictionPath(router, restriction) : startPath(router));
    },
  );
}
