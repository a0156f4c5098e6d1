import { computed, ref, shallowRef, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { historyApi, type HistoryQuery, type HistoryRow } from '@/api/history';

/** The search conditions the screen offers (HISTORY-SEARCH-1); all kept in the address (HISTORY-API-14). */
export const FILTER_KEYS = [
  'from',
  'to',
  'agentId',
  'groupId',
  'keyword',
  'keywordIn',
  'visitorNumber',
  'visitorName',
  'channel',
  'topic',
  'evaluation',
  'rating',
  'status',
  'conversationId',
  'sort',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type HistoryFilters = Record<FilterKey, string>;
export const PAGE_SIZES = [20, 50, 100] as const;

const blank = (): HistoryFilters => Object.fromEntries(FILTER_KEYS.map((k) => [k, ''])) as HistoryFilters;
const only = (f: HistoryFilters): HistoryQuery => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== ''));

/**
 * Keyset pages of the history search (HISTORY-LIST-4): the cursors of the pages behind are kept to go
 * back; the exact total comes from its own call, so the first page never waits for it (HISTORY-PERF-3).
 */
export function useHistorySearch() {
  const route = useRoute();
  const router = useRouter();
  const ownPath = route.path;

  const filters = computed<HistoryFilters>(() => {
    const f = blank();
    for (const key of FILTER_KEYS) {
      const value = route.query[key];
      if (typeof value === 'string') f[key] = value;
    }
    return f;
  });
  const pageSize = computed(() => {
    const value = Number(route.query.pageSize);
    return (PAGE_SIZES as readonly number[]).includes(value) ? value : PAGE_SIZES[0];
  });
  const query = computed(() => only(filters.value));

  const items = shallowRef<HistoryRow[]>([]);
  const editableAfter = ref<string | null>(null);
  const total = ref<number | null>(null);
  const loading = ref(false);
  const error = shallowRef<unknown>(null);
  /** The cursor of each page shown so far; the last one is the current page's. */
  const cursors = ref<(string | undefined)[]>([undefined]);
  const nextCursor = ref<string | null>(null);

  let controller: AbortController | null = null;
  async function load(cursor: string | undefined) {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    loading.value = true;
    error.value = null;
    try {
      const page = await historyApi.search({ ...query.value, pageSize: String(pageSize.value), ...(cursor ? { cursor } : {}) }, current.signal);
      if (current.signal.aborted) return;
      items.value = page.items;
      nextCursor.value = page.nextCursor;
      editableAfter.value = page.editableAfter;
    } catch (cause) {
      if (!current.signal.aborted) error.value = cause;
    } finally {
      if (controller === current) loading.value = false;
    }
  }

  async function count(signal: AbortSignal) {
    total.value = null;
    try {
      const r = await historyApi.count(query.value, signal);
      if (!signal.aborted) total.value = r.total;
    } catch {
      // The list shows its own error; the total just stays unknown.
    }
  }

  let counter: AbortController | null = null;
  function recount() {
    counter?.abort();
    counter = new AbortController();
    void count(counter.signal);
  }
  function restart() {
    cursors.value = [undefined];
    recount();
    return load(undefined);
  }

  const pageNumber = computed(() => cursors.value.length);
  function nextPage() {
    if (!nextCursor.value) return;
    cursors.value = [...cursors.value, nextCursor.value];
    return load(nextCursor.value);
  }
  function previousPage() {
    if (cursors.value.length < 2) return;
    cursors.value = cursors.value.slice(0, -1);
    return load(cursors.value.at(-1));
  }
  /** The same page again, and the total: rows may have been deleted meanwhile. */
  function reload() {
    recount();
    return load(cursors.value.at(-1));
  }

  function search(next: Partial<HistoryFilters>, size = pageSize.value) {
    const q: Record<string, string> = only({ ...filters.value, ...next });
    if (size !== PAGE_SIZES[0]) q.pageSize = String(size);
    void router.replace({ query: q });
  }

  watch(
    () => (route.path === ownPath ? JSON.stringify([query.value, pageSize.value]) : null),
    (key) => key !== null && void restart(),
    { immediate: true },
  );

  return { filters, query, pageSize, items, total, loading, error, editableAfter, pageNumber, nextCursor, nextPage, previousPage, reload, search };
}
