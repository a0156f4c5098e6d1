import { ref, shallowRef } from 'vue';
import { agentsApi } from '@/api/agents';
import { isApiError } from '@/api/client';

export interface AgentOption {
  id: number;
  agentId: string;
  name: string;
  disabled: boolean;
}

const PAGE_SIZE = 100;
/** Enough for any company's roster (groups hold at most 500 members). */
const MAX_PAGES = 50;

/**
 * Every agent of the company, for the member picker and the member names in the list. The contract
 * has no roster endpoint yet, so this pages through `/api/agents`, which needs `agents.manage`.
 */
export function useAgentDirectory() {
  const agents = shallowRef<AgentOption[]>([]);
  const byId = shallowRef(new Map<number, AgentOption>());
  const available = ref(true);
  const loading = ref(false);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      const all: AgentOption[] = [];
      for (let page = 1; page <= MAX_PAGES; page += 1) {
        const result = await agentsApi.list({ page, pageSize: PAGE_SIZE });
        all.push(...result.items.map(({ id, agentId, name, disabled }) => ({ id, agentId, name, disabled })));
        if (result.items.length < PAGE_SIZE || all.length >= result.total) break;
      }
      agents.value = all;
      byId.value = new Map(all.map((agent) => [agent.id, agent]));
      available.value = true;
    } catch (error) {
      available.value = false;
      if (!(isApiError(error) && error.status === 403)) console.warn('[groups] agent list failed', error);
    } finally {
      loading.value = false;
    }
  }

  return { agents, byId, available, loading, load };
}
