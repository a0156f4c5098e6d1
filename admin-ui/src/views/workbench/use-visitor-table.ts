import { computed } from 'vue';
import { i18n } from '@/i18n';
import { usePreferencesStore } from '@/stores/preferences';
import { useSessionStore } from '@/stores/session';
import { useWorkbenchStore } from '@/stores/workbench';
import type { LiveVisitor } from '@/stores/workbench-types';

export type SortDirection = 'asc' | 'desc';
type Sortable = string | number | null;

/** Shown when the settings have not arrived: the default ticks of DISPLAY-COLUMNS-5. */
const DEFAULT_SHOWN = ['status', 'visitorId', 'name', 'channel', 'visits', 'region', 'source', 'enteredAt', 'waiting', 'lastMessageAt', 'leftAt', 'agent', 'language', 'os'];
const DEFAULT_QUEUE = ['waiting', 'mine', 'others', 'robot', 'invited', 'browsing', 'left'];
/** Columns whose values are compared as numbers or times rather than by collation (VISITOR-SORT-7). */
const NUMERIC = new Set(['visitorId', 'visits', 'enteredAt', 'waiting', 'leftAt']);

const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);

/**
 * The visitor list as a table (DISPLAY-COLDEFS-6): which columns show, in the agent's order (DISPLAY-COLUMNS-5),
 * the queue order when no column sort is active (DISPLAY-QUEUE-8) and the click-to-sort cycle of DISPLAY-SORT-7
 * (ascending, descending, back to the queue order; ties keep the queue order; persisted per agent).
 */
export function useVisitorTable() {
  const store = useWorkbenchStore();
  const session = useSessionStore();
  const prefs = usePreferencesStore();
  const display = computed(() => prefs.prefs?.display ?? null);

  const columns = computed(() => display.value?.columns.filter((c) => c.shown).map((c) => c.key) ?? DEFAULT_SHOWN);
  const sort = computed(() => display.value?.sort ?? null);

  const conversationOf = (v: LiveVisitor) => (v.conversationId == null ? null : store.known[v.conversationId] ?? null);

  /** The queue group of DISPLAY-QUEUE-8 a row belongs to. */
  function group(v: LiveVisitor): string {
    if (v.state === 'chatting') return conversationOf(v)?.agentId === session.me?.id ? 'mine' : 'others';
    return v.state;
  }

  /** Within a group: waiting by longest wait, chats by latest activity, the rest by entry time, newest first. */
  function withinGroup(g: string, v: LiveVisitor): number {
    if (g === 'waiting') return time(conversationOf(v)?.createdAt) ?? Date.parse(v.lastSeenAt);
    if (g === 'mine' || g === 'others') return -Date.parse(v.lastSeenAt);
    return -Date.parse(v.firstSeenAt);
  }

  const queueRank = computed(() => {
    const order = display.value?.queueOrder ?? DEFAULT_QUEUE;
    return (v: LiveVisitor) => (display.value?.groupByStatus === false ? 0 : order.indexOf(group(v)));
  });

  function queueCompare(a: LiveVisitor, b: LiveVisitor): number {
    const rank = queueRank.value;
    const ga = group(a);
    const gb = group(b);
    const byGroup = rank(a) - rank(b);
    if (byGroup) return byGroup;
    const key = display.value?.groupByStatus === false ? -Date.parse(a.firstSeenAt) + Date.parse(b.firstSeenAt) : withinGroup(ga, a) - withinGroup(gb, b);
    return key || b.number - a.number;
  }

  /** What a cell shows; `null` is shown as — and sorts last in both directions. */
  function value(key: string, v: LiveVisitor): Sortable {
    const c = conversationOf(v);
    switch (key) {
      case 'status':
        return (display.value?.queueOrder ?? DEFAULT_QUEUE).indexOf(group(v));
      case 'visitorId':
        return v.number;
      case 'visits':
        return v.visitCount;
      case 'source':
        return [v.searchEngine, v.keyword].filter(Boolean).join(': ') || null;
      case 'enteredAt':
        return time(v.firstSeenAt);
      case 'waiting':
        return v.state === 'waiting' && c ? Math.max(0, store.now - Date.parse(c.createdAt)) : null;
      case 'leftAt':
        return v.state === 'left' ? time(v.lastSeenAt) : null;
      case 'agent':
        return c?.status === 'active' ? c.agentNickname : null;
      case 'currentPage':
        return v.currentTitle || v.currentUrl;
      case 'name':
      case 'channel':
      case 'ip':
      case 'region':
      case 'language':
      case 'os':
      case 'browser':
      case 'device':
      case 'referrer':
        return v[key] || null;
      default:
        // Not supplied by the server yet (call-back, declined, last message, group, pages, member).
        return null;
    }
  }

  /** Text columns follow the console language's collation (VISITOR-SORT-7), e.g. pinyin order in zh-CN. */
  const collator = computed(() => new Intl.Collator(i18n.global.locale.value, { numeric: true }));

  /** 访客显示方式 (VISITOR-DISPLAY-6): which rows show; the counts above the list include the hidden ones. */
  const mode = computed(() => display.value?.visitorMode ?? 'all');
  const hideLeft = computed(() => display.value?.hideLeft ?? false);
  function shown(v: LiveVisitor): boolean {
    if (hideLeft.value && v.state === 'left') return false;
    const m = mode.value;
    return m === 'all' || (m === 'mine' ? group(v) === 'mine' : v.state === m);
  }
  const counts = computed(() => {
    const all = Object.values(store.visitors);
    const n = (state: LiveVisitor['state']) => all.filter((v) => v.state === state).length;
    return { online: all.length - n('left'), waiting: n('waiting'), chatting: n('chatting') };
  });

  const rows = computed(() => {
    const list = Object.values(store.visitors).filter(shown).sort(queueCompare);
    const s = sort.value;
    if (!s) return list;
    const sign = s.direction === 'asc' ? 1 : -1;
    const numeric = NUMERIC.has(s.column) || s.column === 'status';
    // Array.prototype.sort is stable, so ties keep the queue order just computed.
    return list.sort((a, b) => {
      const x = value(s.column, a);
      const y = value(s.column, b);
      if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1;
      return sign * (numeric ? Number(x) - Number(y) : collator.value.compare(String(x), String(y)));
    });
  });

  /** A click on a column title: ascending, then descending, then back to the queue order. */
  function cycleSort(column: string) {
    const s = sort.value;
    const next: { column: string; direction: SortDirection } | null =
      s?.column !== column ? { column, direction: 'asc' } : s.direction === 'asc' ? { column, direction: 'desc' } : null;
    return prefs.patch({ display: { sort: next } });
  }

  function setShown(key: string, shown: boolean) {
    const all = display.value?.columns;
    if (!all) return Promise.resolve();
    return prefs.patch({ display: { columns: all.map((c) => (c.key === key ? { ...c, shown } : c)) } });
  }

  const setMode = (visitorMode: typeof mode.value) => prefs.patch({ display: { visitorMode } });
  const setHideLeft = (value: boolean) => prefs.patch({ display: { hideLeft: value } });

  return { columns, sort, rows, value, cycleSort, setShown, allColumns: computed(() => display.value?.columns ?? []), mode, hideLeft, counts, setMode, setHideLeft };
}
