import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { RouteRecordRaw, Router } from 'vue-router';
import type {
  AdminPluginChatToolbarButton,
  AdminPluginContactAction,
  AdminPluginDefinition,
  AdminPluginMenu,
  AdminPluginMessageAction,
  AdminPluginVisitorProfile,
  AdminPluginWorkbenchTab,
} from '@/plugins/define-admin-plugin';
import { loadAdminPlugin } from '@/plugins/discovery';
import { ROUTE } from '@/router/route-names';

interface MountedPlugin {
  definition: AdminPluginDefinition;
  removeRoutes: (() => void)[];
}

export interface PluginMenuItem extends AdminPluginMenu {
  plugin: string;
}

export interface PluginWorkbenchTab extends AdminPluginWorkbenchTab {
  plugin: string;
  /** `<pluginId>:<id>`, unique across plugins. */
  key: string;
}

/** The plugin screens mounted for the signed-in company; follows `me.plugins` and `plugins.changed`. */
export const useAdminPluginsStore = defineStore('adminPlugins', () => {
  const mounted = shallowRef(new Map<string, MountedPlugin>());
  /** Plugins whose screens failed to load in this page (not retried until reload). */
  const failed = ref<string[]>([]);

  const menus = computed<PluginMenuItem[]>(() =>
    [...mounted.value.values()]
      .flatMap(({ definition }) => definition.menus.map((menu) => ({ ...menu, plugin: definition.id })))
      .sort((a, b) => (a.order ?? 50) - (b.order ?? 50) || a.path.localeCompare(b.path)),
  );

  /** Side-panel tabs of the mounted plugins (WORKBENCH-EXTEND-2); they vanish with their plugin. */
  const workbenchTabs = computed<PluginWorkbenchTab[]>(() =>
    [...mounted.value.values()]
      .flatMap(({ definition }) => (definition.workbenchTabs ?? []).map((tab) => ({ ...tab, plugin: definition.id, key: `${definition.id}:${tab.id}` })))
      .sort((a, b) => (a.order ?? 50) - (b.order ?? 50) || a.key.localeCompare(b.key)),
  );

  /** Chat message menu items of the mounted plugins (WORKBENCH-EXTEND-2), keyed `<pluginId>:<id>`. */
  const messageActions = computed(() =>
    [...mounted.value.values()].flatMap(({ definition }) => (definition.messageActions ?? []).map((a): AdminPluginMessageAction & { key: string } => ({ ...a, key: `${definition.id}:${a.id}` }))),
  );

  /** Chat-toolbar buttons of the mounted plugins (CONV-CHATBAR-12, WORKBENCH-EXTEND-2), in order, keyed `<pluginId>:<id>`. */
  const chatToolbar = computed(() =>
    [...mounted.value.values()]
      .flatMap(({ definition }) => (definition.chatToolbar ?? []).map((b): AdminPluginChatToolbarButton & { key: string } => ({ ...b, key: `${definition.id}:${b.id}` })))
      .sort((a, b) => (a.order ?? 50) - (b.order ?? 50) || a.key.localeCompare(b.key)),
  );

  /** Icons beside contact values (WORKBENCH-CONTACT-10), keyed `<pluginId>:<id>`. */
  const contactActions = computed(() =>
    [...mounted.value.values()].flatMap(({ definition }) => (definition.contactActions ?? []).map((a): AdminPluginContactAction & { key: string } => ({ ...a, key: `${definition.id}:${a.id}` }))),
  );

  /** Replacements of core's visitor profile (HISTORY-VISITOR-7), by plugin id. */
  const visitorProfiles = computed(() =>
    [...mounted.value.values()].flatMap(({ definition }) => (definition.visitorProfile ? [{ ...definition.visitorProfile, plugin: definition.id } as AdminPluginVisitorProfile & { plugin: string }] : [])),
  );

  const isMounted = (id: string) => mounted.value.has(id);

  function mount(router: Router, definition: AdminPluginDefinition): MountedPlugin {
    const removeRoutes: (() => void)[] = [];
    for (const route of definition.routes) {
      // addRoute replaces a route of the same name: never let a plugin shadow a core screen.
      if (route.name && router.hasRoute(route.name)) {
        console.error(`[plugins] ${definition.id}: route name "${String(route.name)}" is taken; skipped`);
        continue;
      }
      const record = { ...route, meta: { ...route.meta, plugin: definition.id } } as RouteRecordRaw;
      removeRoutes.push(router.addRoute(ROUTE.shell, record));
    }
    return { definition, removeRoutes };
  }

  async function apply(router: Router, ids: readonly string[]): Promise<boolean> {
    const wanted = new Set(ids);
    const next = new Map(mounted.value);
    let changed = false;
    for (const [id, plugin] of next) {
      if (wanted.has(id)) continue;
      plugin.removeRoutes.forEach((remove) => remove());
      next.delete(id);
      changed = true;
    }
    for (const id of wanted) {
      if (next.has(id) || failed.value.includes(id)) continue;
      try {
        const definition = await loadAdminPlugin(id);
        if (!definition) continue; // enabled on the server, but this build carries no screens for it
        next.set(id, mount(router, definition));
        changed = true;
      } catch (error) {
        console.error(`[plugins] ${id}: admin screens failed to load`, error);
        failed.value = [...failed.value, id];
      }
    }
    if (changed) mounted.value = next;
    return changed;
  }

  // Syncs run one after another, so a quick enable-disable-enable ends in the last state asked for.
  let queue: Promise<unknown> = Promise.resolve();

  /** Mounts the enabled plugins' routes and menus and removes the others; resolves true if anything changed. */
  function sync(router: Router, ids: readonly string[]): Promise<boolean> {
    const run = queue.then(() => apply(router, ids));
    queue = run.catch(() => undefined);
    return run;
  }

  return { menus, workbenchTabs, messageActions, chatToolbar, contactActions, visitorProfiles, failed, isMounted, sync };
});
