import { ref, shallowRef } from 'vue';
import { isApiError } from '@/api/client';
import { groupsApi } from '@/api/groups';

/** Groups for the agent editor's picker; holders of agents.manage without groups.manage cannot list them. */
export function useGroupOptions() {
  const options = shallowRef<{ id: number; name: string }[]>([]);
  const available = ref(true);
  const loading = ref(false);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      options.value = (await groupsApi.list()).items.map(({ id, name }) => ({ id, name }));
      available.value = true;
    } catch (error) {
      available.value = !(isApiError(error) && error.status === 403);
      options.value = [];
    } finally {
      loading.value = false;
    }
  }

  return { options, available, loading, load };
}
