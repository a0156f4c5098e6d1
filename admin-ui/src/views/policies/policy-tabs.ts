import { computed } from 'vue';
import { useRoute, useRouter } from 'vue-router';

/** The six sub-tabs of 对话设置 (POLICY-SCREEN-13); 工作台与登录 holds core's settings of MAIN-SETTINGS-10. */
export const POLICY_TABS = ['timeout', 'proactive', 'antiSpam', 'hold', 'push', 'workbench'] as const;
export type PolicyTab = (typeof POLICY_TABS)[number];

/** The open sub-tab, kept in the address (`?tab=`) so a reload or a link opens it again. */
export function usePolicyTab() {
  const route = useRoute();
  const router = useRouter();
  return computed<PolicyTab>({
    get: () => (POLICY_TABS.includes(route.query.tab as PolicyTab) ? (route.query.tab as PolicyTab) : 'timeout'),
    set: (value) => void router.replace({ query: value === 'timeout' ? {} : { tab: value } }),
  });
}
