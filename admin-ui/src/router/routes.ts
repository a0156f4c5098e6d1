import type { RouteRecordRaw } from 'vue-router';
import agentsRoutes from '@/views/agents/agents-routes';
import assignmentRoutes from '@/views/assignment/assignment-routes';
import agentToolsRoutes from '@/views/agent-tools/agent-tools-routes';
import companyRoutes from '@/views/company/company-routes';
import groupsRoutes from '@/views/groups/groups-routes';
import historyRoutes from '@/views/history/history-routes';
import leaveMessagesRoutes from '@/views/leave-messages/leave-messages-routes';
import noticesRoutes from '@/views/notices/notices-routes';
import settingsRoutes from '@/views/settings/settings-routes';
import loginRoutes from '@/views/login/login-routes';
import helpRoutes from '@/views/help/help-routes';
import signupRoutes from '@/views/signup/signup-routes';
import loginIpRoutes from '@/views/login-ip/login-ip-routes';
import blockingRoutes from '@/views/blocking/blocking-routes';
import loginLogRoutes from '@/views/login-log/login-log-routes';
import pluginsRoutes from '@/views/plugins/plugins-routes';
import billingRoutes from '@/views/billing/billing-routes';
import feedbackRoutes from '@/views/feedback/feedback-routes';
import preferencesRoutes from '@/views/preferences/preferences-routes';
import policiesRoutes from '@/views/policies/policies-routes';
import profileRoutes from '@/views/profile/profile-routes';
import systemRoutes from '@/views/system/system-routes';
import workbenchRoutes from '@/views/workbench/workbench-routes';
import { ROUTE } from './route-names';

/** Screens inside the console frame, one module per feature folder. */
export const featureRoutes: RouteRecordRaw[] = [
  ...workbenchRoutes,
  ...historyRoutes,
  ...leaveMessagesRoutes,
  ...noticesRoutes,
  ...settingsRoutes,
  ...policiesRoutes,
  ...agentsRoutes,
  ...groupsRoutes,
  ...assignmentRoutes,
  ...loginLogRoutes,
  ...loginIpRoutes,
  ...blockingRoutes,
  ...companyRoutes,
  ...profileRoutes,
  ...agentToolsRoutes,
  ...pluginsRoutes,
  ...billingRoutes,
  ...feedbackRoutes,
  ...preferencesRoutes,
];

export const routes: RouteRecordRaw[] = [
  ...loginRoutes,
  ...helpRoutes,
  ...signupRoutes,
  {
    path: '/',
    name: ROUTE.shell,
    component: () => import('@/layouts/AppShell.vue'),
    children: [...featureRoutes, ...systemRoutes],
  },
];
