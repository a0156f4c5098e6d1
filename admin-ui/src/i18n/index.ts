import { watch } from 'vue';
import { createI18n } from 'vue-i18n';
import { setRequestLanguage } from '@/api/client';
import common from './messages/common-messages';
import errors from './messages/errors-messages';
import shell from './messages/shell-messages';
import internal from '@/layouts/internal/internal-messages';
import agents from '@/views/agents/agents-messages';
import assignment from '@/views/assignment/assignment-messages';
import agentTools from '@/views/agent-tools/agent-tools-messages';
import company from '@/views/company/company-messages';
import groups from '@/views/groups/groups-messages';
import history from '@/views/history/history-messages';
import exportJobs from '@/views/exports/exports-messages';
import leaveMessages from '@/views/leave-messages/leave-messages-messages';
import notices from '@/views/notices/notices-messages';
import settings from '@/views/settings/settings-messages';
import shortcuts from '@/views/shortcuts/shortcuts-messages';
import login from '@/views/login/login-messages';
import loginIp from '@/views/login-ip/login-ip-messages';
import blocking from '@/views/blocking/blocking-messages';
import loginLog from '@/views/login-log/login-log-messages';
import plugins from '@/views/plugins/plugins-messages';
import billing from '@/views/billing/billing-messages';
import feedback from '@/views/feedback/feedback-messages';
import help from '@/views/help/help-messages';
import signup from '@/views/signup/signup-messages';
import preferences from '@/views/preferences/preferences-messages';
import policies from '@/views/policies/policies-messages';
import profile from '@/views/profile/profile-messages';
import workbench from '@/views/workbench/workbench-messages';
import chatbar from '@/views/workbench/chatbar-messages';
import visitorProfile from '@/views/visitor-profile/visitor-profile-messages';
import { initialLocale, rememberLocale, type Locale } from './locales';

/** Each feature ships its zh-CN and en catalogues beside its screens; zh-CN is typed as en's exact shape. */
const modules = {
  common,
  errors,
  shell,
  internal,
  login,
  workbench,
  chatbar,
  agents,
  groups,
  loginLog,
  loginIp,
  blocking,
  company,
  profile,
  plugins,
  leaveMessages,
  notices,
  settings,
  shortcuts,
  agentTools,
  history,
  exportJobs,
  policies,
  assignment,
  billing,
  feedback,
  preferences,
  help,
  signup,
  visitorProfile,
};

type Complete = 'en' | 'zh-CN';
const catalogue = (locale: Complete) => Object.fromEntries(Object.entries(modules).map(([name, module]) => [name, module[locale]]));

export const i18n = createI18n({
  legacy: false,
  // Typed as a catalogue language; zh-TW, ja and ko are valid too and read their fallbacks.
  locale: initialLocale() as Complete,
  // zh-TW, ja and ko are not translated yet: Traditional Chinese reads Simplified, the others English.
  fallbackLocale: { 'zh-TW': ['zh-CN', 'en'], ja: ['en'], ko: ['en'], default: ['en'] },
  messages: { en: catalogue('en'), 'zh-CN': catalogue('zh-CN') },
  missingWarn: false,
  fallbackWarn: false,
});

export const currentLocale = () => i18n.global.locale.value as Locale;

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale as Complete;
  rememberLocale(locale);
}

// Keep the page language and the server's message language in step with the console language.
watch(
  i18n.global.locale,
  (locale) => {
    document.documentElement.lang = locale;
    setRequestLanguage(locale);
  },
  { immediate: true },
);
