import { computed, shallowRef } from 'vue';
import { permissionsApi, type PermissionDef } from '@/api/permissions';

export interface PermissionSection {
  id: string;
  plugin?: string;
  items: PermissionDef[];
}

// One copy per page load; the list changes only when a plugin is enabled or disabled.
const catalog = shallowRef<PermissionDef[] | null>(null);
const error = shallowRef<unknown>(null);
let pending: Promise<void> | null = null;

/** The permission editor's boxes, grouped by section in the server's order. */
export function usePermissionCatalog() {
  function load(force = false): Promise<void> {
    if (force) catalog.value = null;
    if (catalog.value) return Promise.resolve();
    pending ??= permissionsApi
      .list()
      .then((result) => {
        catalog.value = result.permissions;
        error.value = null;
      })
      .catch((cause) => {
        error.value = cause;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  }

  const sections = computed<PermissionSection[]>(() => {
    const bySection = new Map<string, PermissionSection>();
    for (const permission of catalog.value ?? []) {
      const key = permission.plugin ? `${permission.plugin}:${permission.section}` : permission.section;
      const section = bySection.get(key) ?? { id: permission.section, plugin: permission.plugin, items: [] };
      section.items.push(permission);
      bySection.set(key, section);
    }
    return [...bySection.values()];
  });

  const names = computed(() => new Set((catalog.value ?? []).map((p) => p.name)));

  return { catalog, sections, names, error, load };
}
