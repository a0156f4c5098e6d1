import { computed, onBeforeUnmount, onMounted, ref, shallowRef } from 'vue';
import { agentToolsApi, type Scope, type ToolGroup, type ToolItem, type ToolKind, type ToolTree } from '@/api/agent-tools';

/** Others' changes show within 5 seconds (WORKBENCH-CANNED-3): the stamp is cheap, the tree is reloaded only when it moved. */
const POLL_MS = 4000;

export interface ScopeSection<T extends ToolItem> {
  scope: Scope;
  groups: { group: ToolGroup; items: T[] }[];
}

/** One list's groups and entries for the side panel, both scopes, filtered by a search text. */
export function useToolTree<T extends ToolItem>(kind: ToolKind, text: (item: T) => string) {
  const tree = shallowRef<ToolTree<T> | null>(null);
  const error = shallowRef<unknown>(null);
  const search = ref('');
  let stamp = '';
  let timer: ReturnType<typeof setInterval> | undefined;

  async function load() {
    try {
      tree.value = await agentToolsApi.tree<T>(kind);
      error.value = null;
    } catch (cause) {
      error.value = cause;
    }
  }

  async function poll() {
    if (document.hidden) return;
    const next = (await agentToolsApi.stamp().catch(() => null))?.stamp;
    if (next && next !== stamp) {
      stamp = next;
      await load();
    }
  }

  onMounted(() => {
    void poll();
    timer = setInterval(() => void poll(), POLL_MS);
  });
  onBeforeUnmount(() => clearInterval(timer));

  const sections = computed<ScopeSection<T>[]>(() => {
    const t = tree.value;
    if (!t) return [];
    const needle = search.value.trim().toLowerCase();
    const shown = needle ? t.items.filter((i) => text(i).toLowerCase().includes(needle)) : t.items;
    return (['company', 'personal'] as const).map((scope) => ({
      scope,
      groups: t.groups
        .filter((g) => g.scope === scope)
        .map((group) => ({ group, items: shown.filter((i) => i.groupId === group.id) }))
        .filter((g) => !needle || g.items.length),
    }));
  });

  return { tree, error, search, sections, reload: load };
}
