import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { isApiError } from '@/api/client';
import { authApi, type MeResult } from '@/api/auth';
import type { Company, Me } from '@/api/types';

export type SessionStatus = 'unknown' | 'loading' | 'authenticated' | 'anonymous' | 'unreachable';

/** The login that replaced this session (LOGIN-MULTI-8): where and when. */
export interface ReplacedBy {
  ip: string;
  at: string;
}

/** Who is signed in, for which company, with which plugins, and what they may do. */
export const useSessionStore = defineStore('session', () => {
  const status = ref<SessionStatus>('unknown');
  const me = shallowRef<Me | null>(null);
  const company = shallowRef<Company | null>(null);
  const plugins = shallowRef<string[]>([]);
  const restriction = ref<string | null>(null);
  /** Why the last session ended (server reason code or `unauthenticated`), shown once on the login page. */
  const endedReason = ref<string | null>(null);
  const endedBy = shallowRef<ReplacedBy | null>(null);
  const loadError = shallowRef<unknown>(null);

  const isAuthenticated = computed(() => status.value === 'authenticated');
  const isAdmin = computed(() => me.value?.role === 'admin');
  const permissionSet = computed(() => new Set(me.value?.permissions ?? []));

  /** Admins hold every permission; a list means "any of these". */
  function can(permission?: string | readonly string[]): boolean {
    if (!me.value) return false;
    if (!permission || isAdmin.value) return true;
    const wanted = typeof permission === 'string' ? [permission] : permission;
    return wanted.length === 0 || wanted.some((name) => permissionSet.value.has(name));
  }

  function apply(result: MeResult): void {
    me.value = result.agent;
    company.value = result.company;
    plugins.value = [...result.plugins].sort();
    restriction.value = result.restriction;
    status.value = 'authenticated';
    loadError.value = null;
  }

  function clear(reason: string | null = null, replacedBy: ReplacedBy | null = null): void {
    me.value = null;
    company.value = null;
    plugins.value = [];
    restriction.value = null;
    status.value = 'anonymous';
    endedReason.value = reason;
    endedBy.value = replacedBy;
  }

  let pending: Promise<void> | null = null;

  /** Asks the server who we are. A 401 means signed out; other failures leave the state `unreachable`. */
  function load(): Promise<void> {
    pending ??= (async () => {
      if (status.value !== 'authenticated') status.value = 'loading';
      try {
        apply(await authApi.me());
      } catch (error) {
        if (isApiError(error) && error.status === 401) {
          // Signed in a moment ago and now refused: the session ended under us.
          clear(status.value === 'authenticated' ? 'unauthenticated' : endedReason.value);
        } else if (status.value === 'loading') {
          status.value = 'unreachable';
          loadError.value = error;
        }
        // A failed refresh of a live session keeps it: the realtime link reports the outage.
      } finally {
        pending = null;
      }
    })();
    return pending;
  }

  function setPlugins(ids: string[]): void {
    const next = [...ids].sort();
    if (next.join() !== plugins.value.join()) plugins.value = next;
  }

  function updateMe(patch: Partial<Me>): void {
    if (me.value) me.value = { ...me.value, ...patch };
  }

  function takeEndedReason(): { reason: string; replacedBy: ReplacedBy | null } | null {
    const reason = endedReason.value;
    const replacedBy = endedBy.value;
    endedReason.value = null;
    endedBy.value = null;
    return reason ? { reason, replacedBy } : null;
  }

  return {
    status,
    me,
    company,
    plugins,
    restriction,
    endedReason,
    loadError,
    isAuthenticated,
    isAdmin,
    can,
    load,
    clear,
    setPlugins,
    updateMe,
    takeEndedReason,
  };
});
