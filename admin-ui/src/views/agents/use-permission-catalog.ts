import { computed, shallowRef } from 'vue';
import { permissionsApi, type PermissionDef } from '@/api/permissions';

export interface PermissionSection {
  id: string;
  plugin?: string;
  items: PermissionDef[];
}

// Shared by every editor; re-read at each opening, since enabling a plugin adds its permissions.
const catalog = shallowRef<PermissionDef[] | null>(null);
const error = shallowRef<unknown>(null);
let pending: Promise<void> | null = null;

/** The permission editor's boxes, grouped by section in the server's order. */
export function usePermissionCatalog() {
  /** Fetches the list; the previous one stays on screen until the new one arrives. */
  function load(): Promise<void> {
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
