import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { AuditService } from '../accounts/audit-service.ts';
import { conflict } from '../http/errors.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { VisitorScope } from '../visitors/visitor-scope.ts';
import { AssignmentService } from './assignment-service.ts';
import { registerRoutingRuleRoutes } from './routing-rules.ts';
import { LiveView } from './live-view.ts';
import { MonitorService } from './monitor-service.ts';
import { chatSettingsSchema, readChatSettings, type ChatSettings } from './chat-settings.ts';

type Key = keyof ChatSettings;

// companies is keyed by id, not company_id, so Tenant.q does not apply; the id is the tenant's own.
const companyRow = (t: Tenant) => t.unscoped('companies').where({ id: t.companyId });

/**
 * One screen's keys of companies.chat_settings, versioned (`409 settings_changed`)
 * and audited; the rest of the JSON belongs to other screens and is kept. The JSON
 * has no version column, so each section's version lives beside its keys.
 */
function chatSettingsSection<K extends Key>(keys: readonly K[], versionKey: string, auditAction: string) {
  // The mask is built at run time, so its type is asserted: exactly the keys asked for.
  const schema = chatSettingsSchema.pick<{ [P in K]: true }>(Object.fromEntries(keys.map((k) => [k, true])) as never);
  const pick = (s: ChatSettings) => Object.fromEntries(keys.map((k) => [k, s[k]])) as Pick<ChatSettings, K>;
  const read = async (t: Tenant, lock = false) => {
    const q = companyRow(t).first('chat_settings');
    const row = await (lock ? q.forUpdate() : q);
    const raw: Record<string, unknown> = row?.chat_settings && typeof row.chat_settings === 'object' ? row.chat_settings : {};
    return { raw, stored: { version: Number(raw[versionKey] ?? 0), settings: pick(readChatSettings(raw)) } };
  };
  const save = (audit: AuditService, auth: AuthInfo, input: { version: number; settings: Pick<ChatSettings, K> }) =>
    auth.tenant.transaction(async (t) => {
      const before = await read(t, true);
      if (before.stored.version !== input.version)
        throw conflict('settings_changed', 'Someone else changed these settings; reload and try again', { version: before.stored.version });
      const version = input.version + 1;
      const settings = pick({ ...readChatSettings(before.raw), ...input.settings });
      await companyRow(t).update({ chat_settings: JSON.stringify({ ...before.raw, ...settings, [versionKey]: version }) });
      await audit.write(t, { actor: auth.agent.id, action: auditAction, target: 'chat_settings', old: before.stored.settings, new: settings });
      return { version, settings };
    });
  return {
    stored: z.object({ version: z.number(), settings: schema }),
    body: z.strictObject({ version: z.number().int().min(0), settings: schema }),
    read: async (t: Tenant) => (await read(t)).stored,
    save,
  };
}

const assignmentSection = chatSettingsSection(
  ['autoAssign', 'mode', 'defaultCap', 'maxQueue', 'queueFullText', 'maxWaitSeconds', 'sticky', 'confirm', 'showEstimatedWait'],
  'assignmentVersion',
  'settings.assignment.update',
);
const visitorListSection = chatSettingsSection(['visitorScope'], 'visitorListVersion', 'settings.visitorList.update');
const liveViewSection = chatSettingsSection(['liveView'], 'liveViewVersion', 'settings.liveView.update');
/** The conversation part of 工作台与登录 (MAIN-SETTINGS-10): transfer timeout, 文件传输, 自动接收访客文件, 告知被监控客服. */
const workbenchChatSection = chatSettingsSection(
  ['transferTimeoutSeconds', 'maxFileMb', 'fileGroups', 'autoAcceptVisitorFiles', 'monitorNotice'],
  'workbenchChatVersion',
  'settings.workbenchChat.update',
);

/**
 * 自动分配 settings (ASSIGN-SCREEN-16), applied from the next decision, and the
 * visitor list scope, 允许实时查看 and the conversation settings of the 工作台与登录 settings (MAIN-SETTINGS-10,
 * VISITOR-SCOPE-4, CONV-LIVEVIEW-21).
 */
export function registerAssignmentSettingsRoutes(api: ApiRouter, c: DependencyContainer) {
  const assignment = c.resolve(AssignmentService);
  const scope = c.resolve(VisitorScope);
  const audit = c.resolve(AuditService);
  const liveView = c.resolve(LiveView);
  const monitors = c.resolve(MonitorService);
  const manage = { tags: ['settings'], auth: 'agent' as const, permission: 'assign.manage' };
  registerRoutingRuleRoutes(api, c);

  api.route({
    ...manage,
    method: 'get',
    path: '/api/settings/assignment',
    summary:
      'Automatic assignment settings: switch, mode, default cap, queue limit and its text, maximum wait, previous agent, confirmation, estimated wait (ASSIGN §3.4)',
    response: assignmentSection.stored,
    handler: ({ auth }) => assignmentSection.read(auth.tenant),
  });
  api.route({
    ...manage,
    method: 'put',
    path: '/api/settings/assignment',
    summary: 'Save the automatic assignment settings; `version` is the one read (0 before the first save), stale → 409 settings_changed',
    body: assignmentSection.body,
    response: assignmentSection.stored,
    handler: async ({ body, auth }) => {
      const saved = await assignmentSection.save(audit, auth, body);
      // ASSIGN-TRIGGER-12: a settings change may let waiting requests through (switch on, higher cap, mode).
      await assignment.assignWaiting(auth.companyId);
      return saved;
    },
  });

  const settingsManage = { tags: ['settings'], auth: 'agent' as const, permission: 'settings.manage' };
  api.route({
    ...settingsManage,
    method: 'get',
    path: '/api/settings/visitor-list',
    summary: '访客列表范围: all visitors, or only those of icons bound to the agent or their groups (VISITOR-SCOPE-4)',
    response: visitorListSection.stored,
    handler: ({ auth }) => visitorListSection.read(auth.tenant),
  });
  api.route({
    ...settingsManage,
    method: 'put',
    path: '/api/settings/visitor-list',
    summary: 'Save the visitor list scope; `version` is the one read (0 before the first save), stale → 409 settings_changed',
    body: visitorListSection.body,
    response: visitorListSection.stored,
    handler: async ({ body, auth }) => {
      const saved = await visitorListSection.save(audit, auth, body);
      scope.forget(auth.companyId);
      return saved;
    },
  });
  api.route({
    ...settingsManage,
    method: 'get',
    path: '/api/settings/live-view',
    summary: '允许实时查看: whether agents may see what visitors type before sending; off, only a typing signal (CONV-LIVEVIEW-21)',
    response: liveViewSection.stored,
    handler: ({ auth }) => liveViewSection.read(auth.tenant),
  });
  api.route({
    ...settingsManage,
    method: 'put',
    path: '/api/settings/live-view',
    summary: 'Save 允许实时查看; `version` is the one read (0 before the first save), stale → 409 settings_changed',
    body: liveViewSection.body,
    response: liveViewSection.stored,
    handler: async ({ body, auth }) => {
      const saved = await liveViewSection.save(audit, auth, body);
      liveView.forget(auth.companyId);
      return saved;
    },
  });
  api.route({
    ...settingsManage,
    method: 'get',
    path: '/api/settings/workbench-chat',
    summary:
      'Conversation settings of 工作台与登录: transfer response time (CONV-TRANSFER-30), 文件传输 size and type groups (CONV-FILE-14), 自动接收访客文件 (CONV-FILE-16), 告知被监控客服 (CONV-MONITOR-35)',
    response: workbenchChatSection.stored,
    handler: ({ auth }) => workbenchChatSection.read(auth.tenant),
  });
  api.route({
    ...settingsManage,
    method: 'put',
    path: '/api/settings/workbench-chat',
    summary:
      'Save them; read at each transfer, upload and monitoring change; `version` is the one read (0 before the first save), stale → 409 settings_changed',
    body: workbenchChatSection.body,
    response: workbenchChatSection.stored,
    handler: async ({ body, auth }) => {
      const saved = await workbenchChatSection.save(audit, auth, body);
      // 告知被监控客服 switched: monitored agents' eye icons appear or go at once.
      await monitors.tellAllWatched(auth.companyId);
      return saved;
    },
  });
}
