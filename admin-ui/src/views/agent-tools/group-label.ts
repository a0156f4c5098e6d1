import { i18n } from '@/i18n';
import type { ToolGroup } from '@/api/agent-tools';

/** A seeded group keeps its meaning in every console language until someone renames it. */
export function groupLabel(group: ToolGroup): string {
  const key = `agentTools.builtin.${group.builtin}`;
  return group.builtin && i18n.global.te(key) ? i18n.global.t(key) : group.name;
}
