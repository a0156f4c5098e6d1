/**
 * The contract between the console and a plugin's screens (ARCHITECTURE §4).
 * Import it in `plugins/<id>/admin/index.ts` as `@kefu/admin-ui/plugin`:
 *
 *   export default defineAdminPlugin({
 *     id: 'otp',
 *     routes: [{ path: '/plugins/otp/bind', component: () => import('./views/bind-page.vue'),
 *                meta: { title: { 'zh-CN': '绑定动态口令', en: 'Bind dynamic password' } } }],
 *     menus: [{ path: '/plugins/otp/overview', label: { 'zh-CN': '动态口令', en: 'Dynamic password' }, permission: 'otp.manage' }],
 *     workbenchTabs: [{ id: 'kb', title: { 'zh-CN': '知识库', en: 'Knowledge' }, component: defineAsyncComponent(() => import('./views/kb-tab.vue')) }],
 *     chatToolbar: [{ id: 'add-kb', label: { 'zh-CN': '知识库添加', en: 'Add to KB' }, tooltip: { 'zh-CN': '…', en: '…' },
 *                     permission: 'robot.kb.edit', onClick: (ctx) => openEditor(ctx.selectedMessages) }],
 *   });
 *
 * Routes are mounted inside the console frame while the plugin is enabled for the signed-in company and
 * removed live when it is disabled. Keep their paths under `/plugins/<id>/`, give components as lazy
 * imports, and set `meta.permission` (a name, or a list meaning "any of") where a screen needs one.
 *
 * Workbench extension points (SPEC WORKBENCH-EXTEND-2): side-panel tabs (`workbenchTabs`), chat-toolbar buttons
 * (`chatToolbar`, drawn after core's CONV-CHATBAR-12 buttons), message menu items (`messageActions`) and contact
 * icons (`contactActions`). Each is shown only while the plugin is enabled and the agent holds its `permission`,
 * and disappears live when the plugin is disabled.
 */
import type { Component } from 'vue';
import type { RouteRecordRaw } from 'vue-router';

/** Puts text into the workbench's message input at its cursor, for the agent to edit and send. */
export { insertIntoComposer } from '../views/agent-tools/composer-bridge';

/** A text in each console language; zh-CN and en are required, the others fall back to them. */
export interface PluginText {
  'zh-CN': string;
  en: string;
  'zh-TW'?: string;
  ja?: string;
  ko?: string;
}

export interface AdminPluginMenu {
  /** A path of one of the plugin's routes. */
  path: string;
  label: PluginText;
  /** An icon component, e.g. from `@element-plus/icons-vue`. */
  icon?: Component;
  /** Shown only to agents holding it (admins hold all). */
  permission?: string;
  /** Sort key inside the 增强功能 menu (ascending, default 50). */
  order?: number;
}

/** What a workbench tab is told about the agent's current selection (SPEC WORKBENCH-EXTEND-2). */
export interface WorkbenchContext {
  companyId: number;
  /** The signed-in agent's numeric id. */
  agentId: number;
  /** The selected conversation, or null when only a visitor (or nothing) is selected. */
  conversationId: number | null;
  conversationStatus: 'queued' | 'active' | 'ended' | null;
  visitorId: number | null;
  channel: string | null;
}

/**
 * A tab of the workbench's side panel (SPEC WORKBENCH-PANEL-1, WORKBENCH-EXTEND-2). Its component receives
 * one prop, `context: WorkbenchContext`, and follows the selection; it should call only its plugin's routes
 * (`pluginRequest`) and core's public API. An error inside it shows an error box in its place.
 */
export interface AdminPluginWorkbenchTab {
  /** Unique inside the plugin; the console shows it as `<pluginId>:<id>`. */
  id: string;
  title: PluginText;
  /** Wrap a lazy import in `defineAsyncComponent(() => import('./views/kb-tab.vue'))`. */
  component: Component;
  /** Shown only to agents holding it (admins hold all). */
  permission?: string;
  /** Sort key after the core tabs (ascending, default 50). */
  order?: number;
}

/** A stored chat message as a message action sees it. */
export interface PluginChatMessage {
  id: number;
  conversationId: number;
  senderKind: string;
  kind: string;
  text: string | null;
  createdAt: string;
}

/**
 * An item of a chat message's menu in the workbench (SPEC WORKBENCH-EXTEND-2), e.g. 加入知识库. The handler
 * gets the message and its conversation's messages as loaded, in order.
 */
export interface AdminPluginMessageAction {
  /** Unique inside the plugin. */
  id: string;
  label: PluginText;
  /** Shown only to agents holding it (admins hold all). */
  permission?: string;
  /** Offer it only on some messages (default: every stored message). */
  when?: (message: PluginChatMessage) => boolean;
  handler: (message: PluginChatMessage, conversation: { id: number; messages: readonly PluginChatMessage[] }) => void;
}

/** What a chat-toolbar button is told when it is drawn and clicked (SPEC CONV-CHATBAR-12, WORKBENCH-EXTEND-2). */
export interface ChatToolbarContext extends WorkbenchContext {
  /** The conversation the toolbar belongs to (never null here). */
  conversationId: number;
  /**
   * The stored messages the agent's text selection in the transcript touches, in order; empty when nothing
   * is selected. Read when the button is clicked, so a selection made just before the click counts.
   */
  selectedMessages: readonly PluginChatMessage[];
  /** The conversation's messages as loaded in the workbench (the most recent ones), in order. */
  messages: readonly PluginChatMessage[];
}

/**
 * A button of the chat toolbar above the message input (SPEC CONV-CHATBAR-12, WORKBENCH-EXTEND-2), drawn after
 * core's buttons in `order` (or at the place the SPEC names for it), e.g. 知识库添加. Like core's tools it is hidden in an ended conversation. The
 * console catches errors thrown (or rejected) by `disabledFor` and `onClick` and shows them as a message, so
 * a broken button never breaks the toolbar.
 */
export interface AdminPluginChatToolbarButton {
  /** Unique inside the plugin; the console marks the button `data-test="chatbar-plugin-<pluginId>:<id>"`. */
  id: string;
  /** The button's text (when it has no icon) and accessible name. */
  label: PluginText;
  /** Tooltip saying what it does. */
  tooltip: PluginText;
  /** An icon component, e.g. from `@element-plus/icons-vue`; without it the label is shown. */
  icon?: Component;
  /** Shown only to agents holding it (admins hold all). */
  permission?: string;
  /**
   * Where it goes: `end` (default) after core's buttons; `knowledge` the spot CONV-CHATBAR-12 keeps for
   * 知识库添加, between 截屏 and 推送访客信息收集表.
   */
  place?: 'end' | 'knowledge';
  /** Sort key among the plugin buttons of the same place (ascending, default 50). */
  order?: number;
  /** A reason the button cannot be used in this conversation (shown as its tooltip), or null when it can. */
  disabledFor?: (context: ChatToolbarContext) => PluginText | null;
  onClick: (context: ChatToolbarContext) => void | Promise<void>;
}

/**
 * An icon beside a contact value in 访客信息 (SPEC WORKBENCH-CONTACT-10), e.g. 发送短信 or 拨打电话 beside a
 * mobile number. Shown only while the plugin is enabled and the agent holds the permission.
 */
export interface AdminPluginContactAction {
  /** Unique inside the plugin. */
  id: string;
  /** The value it stands beside. */
  field: 'mobile' | 'landline' | 'email';
  /** Tooltip and accessible name. */
  label: PluginText;
  /** An icon component, e.g. from `@element-plus/icons-vue`. */
  icon: Component;
  permission?: string;
  handler: (value: string, context: { visitorId: number; conversationId: number | null }) => void;
}

/**
 * A replacement for core's visitor profile opened from a visitor's name in history and leave-messages (SPEC
 * HISTORY-VISITOR-7), e.g. the CRM customer detail. Its component gets the prop `visitorId` and emits `close`,
 * or `fallback` to show core's visitor profile instead (a customer card hidden from the agent).
 */
export interface AdminPluginVisitorProfile {
  component: Component;
  permission?: string;
}

export interface AdminPluginDefinition {
  id: string;
  routes: RouteRecordRaw[];
  menus: AdminPluginMenu[];
  /** Path of the plugin's settings screen, if it has one. */
  settingsPage?: string;
  /** Tabs added to the workbench's side panel while the plugin is enabled. */
  workbenchTabs?: AdminPluginWorkbenchTab[];
  /** Items added to the menu of each chat message in the workbench. */
  messageActions?: AdminPluginMessageAction[];
  /** Buttons added to the chat toolbar after core's (CONV-CHATBAR-12) while the plugin is enabled. */
  chatToolbar?: AdminPluginChatToolbarButton[];
  /** Icons beside contact values in 访客信息 and the visitor profile. */
  contactActions?: AdminPluginContactAction[];
  /** Opens instead of core's visitor profile. */
  visitorProfile?: AdminPluginVisitorProfile;
}

const PLUGIN_ID = /^[a-z][a-z0-9-]{0,39}$/;

export function defineAdminPlugin(definition: AdminPluginDefinition): AdminPluginDefinition {
  if (!PLUGIN_ID.test(definition.id)) throw new Error(`defineAdminPlugin: invalid plugin id "${definition.id}"`);
  for (const menu of definition.menus) {
    if (!menu.label?.['zh-CN'] || !menu.label.en) {
      throw new Error(`defineAdminPlugin(${definition.id}): menu ${menu.path} needs zh-CN and en labels`);
    }
  }
  for (const tab of definition.workbenchTabs ?? []) {
    if (!tab.title?.['zh-CN'] || !tab.title.en) throw new Error(`defineAdminPlugin(${definition.id}): workbench tab ${tab.id} needs zh-CN and en titles`);
  }
  for (const action of definition.messageActions ?? []) {
    if (!action.label?.['zh-CN'] || !action.label.en) throw new Error(`defineAdminPlugin(${definition.id}): message action ${action.id} needs zh-CN and en labels`);
  }
  for (const button of definition.chatToolbar ?? []) {
    if (!button.label?.['zh-CN'] || !button.label.en || !button.tooltip?.['zh-CN'] || !button.tooltip.en) {
      throw new Error(`defineAdminPlugin(${definition.id}): chat toolbar button ${button.id} needs zh-CN and en labels and tooltips`);
    }
  }
  for (const action of definition.contactActions ?? []) {
    if (!action.label?.['zh-CN'] || !action.label.en) throw new Error(`defineAdminPlugin(${definition.id}): contact action ${action.id} needs zh-CN and en labels`);
  }
  return definition;
}

/** Section of the main navigation (SPEC MENU-NAV-1); plugin menus go under `enhanced`. */
export type MenuSection = 'conversation' | 'collaboration' | 'config' | 'enhanced' | 'user';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in (the login page). */
    public?: boolean;
    /** Needs nothing from the server once loaded, so it shows even while the server cannot be reached (the user guide). */
    offline?: boolean;
    /** Needed to open the screen: a name, or a list meaning "any of". Admins hold every permission. */
    permission?: string | string[];
    /**
     * The permission must also be listed for the company (in `/api/auth/me`), admins included: a feature
     * that exists only while a plugin uses it (电话回拨阻止, DISPLAY-PHONEBLOCK-16).
     */
    listed?: boolean;
    /** Abilities no permission grants (company edit, plugins): the administrator role itself. */
    adminOnly?: boolean;
    /** Page title as a key of the console catalogue (core screens). */
    titleKey?: string;
    /** Page title as text in each language (plugin screens). */
    title?: PluginText;
    /** Where the screen appears in the main navigation (core screens). */
    menu?: { section: MenuSection; order: number };
    /** Set by the console on every route a plugin mounted. */
    plugin?: string;
  }
}

/** What the console lends plugin screens, without them reaching into its stores. */
export interface ConsoleBridge {
  /** Re-reads `/api/auth/me` (e.g. after binding a dynamic password lifts a restriction). */
  refreshSession(): Promise<void>;
  /** The console language (`zh-CN`, `zh-TW`, `en`, `ja`, `ko`). */
  locale(): string;
  /** Whether the signed-in agent holds a permission (admins hold all). */
  can(permission?: string | string[]): boolean;
  /** Sends a text message as the agent through the workbench's own queue (acked, resent after a reconnect). */
  sendText(conversationId: number, text: string): Promise<void>;
  /** Opens a console screen, e.g. one of the plugin's own with a prefilled form. */
  navigate(path: string, query?: Record<string, string>): Promise<void>;
}

let bridge: ConsoleBridge | null = null;

/** Called once by the console at start. */
export function provideConsoleBridge(value: ConsoleBridge): void {
  bridge = value;
}

export function useConsole(): ConsoleBridge {
  if (!bridge) throw new Error('useConsole() is only available inside the Kefu console');
  return bridge;
}

/** A refused or failed call to a plugin's routes, with the server's stable code and extra fields. */
export class PluginApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** JSON calls to `/api/p/<pluginId>/…`, same-origin with the session cookie, in the console language. */
export function pluginRequest(pluginId: string) {
  const language = () => {
    try {
      return useConsole().locale();
    } catch {
      return 'zh-CN';
    }
  };
  return async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language() };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`/api/p/${pluginId}${path}`, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new PluginApiError(0, 'network_error', 'Network error');
    }
    const text = await res.text();
    const json = text ? (JSON.parse(text) as Record<string, any>) : undefined;
    if (!res.ok) {
      const { code = `http_${res.status}`, message = res.statusText, ...extra } = json?.error ?? {};
      throw new PluginApiError(res.status, code, message, extra);
    }
    return json as T;
  };
}
