import { computed, type ComputedRef } from 'vue';

/** A local calendar day `YYYY-MM-DD` as the ISO instant it starts (plus `days`); undefined for none. */
export function dayStart(day: string | undefined, days = 0): string | undefined {
  if (!day) return undefined;
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(y, m - 1, d + days);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The `from`/`to` day filters of a paged list as one date-range picker value (both days included). */
export function useDayRange(list: { filters: ComputedRef<{ from: string; to: string }>; setFilters: (patch: { from: string; to: string }) => void }) {
  const range = computed(() => (list.filters.value.from && list.filters.value.to ? [list.filters.value.from, list.filters.value.to] : null));
  const setRange = (value: unknown) => {
    const [from, to] = Array.isArray(value) ? (value as string[]) : ['', ''];
    list.setFilters({ from: from ?? '', to: to ?? '' });
  };
  return { range, setRange };
}
