import { computed, ref, shallowRef, watch } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';
import type { Page, PageQuery } from '@/api/types';

export const PAGE_SIZES = [20, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 20;

type Filters = Record<string, string>;

export interface PagedListOptions<T, F extends Filters> {
  /** Filter names with their defaults (a default is left out of the address). */
  filters: F;
  load: (query: PageQuery & Partial<F>, signal: AbortSignal) => Promise<Page<T>>;
}

const firstString = (value: LocationQuery[string]) => (Array.isArray(value) ? value[0] : value) ?? undefined;

/**
 * A server-paginated list whose page, page size and filters live in the address, so reload, links
 * and the back button keep them. Stale answers are dropped when a newer request starts.
 */
export function usePagedList<T, F extends Filters>(options: PagedListOptions<T, F>) {
  const route = useRoute();
  const router = useRouter();
  const ownPath = route.path;

  const items = shallowRef<T[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const error = shallowRef<unknown>(null);
  const loaded = ref(false);

  const page = computed(() => {
    const value = Number(firstString(route.query.page));
    return Number.isInteger(value) && value > 0 ? value : 1;
  });
  const pageSize = computed(() => {
    const value = Number(firstString(route.query.pageSize));
    return (PAGE_SIZES as readonly number[]).includes(value) ? value : DEFAULT_PAGE_SIZE;
  });
  const filters = computed(() => {
    const result = { ...options.filters };
    for (const key of Object.keys(options.filters) as (keyof F & string)[]) {
      const value = firstString(route.query[key]);
      if (typeof value === 'string') result[key] = value as F[typeof key];
    }
    return result;
  });

  function navigate(patch: Record<string, string | number>) {
    const query: Record<string, string> = {};
    const merged = { ...filters.value, page: page.value, pageSize: pageSize.value, ...patch };
    for (const [key, value] of Object.entries(merged)) {
      const isDefault =
        (key === 'page' && Number(value) === 1) ||
        (key === 'pageSize' && Number(value) === DEFAULT_PAGE_SIZE) ||
        (key in options.filters && value === options.filters[key]);
      if (!isDefault && value !== '') query[key] = String(value);
    }
    void router.replace({ query });
  }

  const setPage = (value: number) => navigate({ page: value });
  const setPageSize = (value: number) => navigate({ pageSize: value, page: 1 });
  /** New filters start again at page 1. */
  const setFilters = (patch: Partial<F>) => navigate({ ...(patch as Record<string, string>), page: 1 });

  let controller: AbortController | null = null;

  async function reload(): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    loading.value = true;
    error.value = null;
    try {
      const result = await options.load({ page: page.value, pageSize: pageSize.value, ...filters.value }, current.signal);
      if (current.signal.aborted) return;
      items.value = result.items;
      total.value = result.total;
      loaded.value = true;
      // Rows were removed meanwhile and this page is past the end: go to the last page that exists.
      const lastPage = Math.max(1, Math.ceil(result.total / pageSize.value));
      if (result.items.length === 0 && page.value > lastPage) setPage(lastPage);
    } catch (cause) {
      if (current.signal.aborted) return;
      error.value = cause;
    } finally {
      if (controller === current) loading.value = false;
    }
  }

  watch(
    () => (route.path === ownPath ? JSON.stringify([page.value, pageSize.value, filters.value]) : null),
    (key) => key !== null && void reload(),
    { immediate: true },
  );

  return { items, total, loading, loaded, error, page, pageSize, filters, setPage, setPageSize, setFilters, reload };
}
