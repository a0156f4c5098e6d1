import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { AuditService } from '../accounts/audit-service.ts';
import { conflict } from '../http/errors.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { AssignmentService } from './assignment-service.ts';
import { chatSettingsSchema, readChatSettings, type ChatSettings } from './chat-settings.ts';

/** The keys of companies.chat_settings this screen owns; the rest of the JSON belongs to other features and is kept. */
const KEYS = ['autoAssign', 'mode', 'defaultCap', 'maxQueue', 'sticky', 'confirm', 'showEstimatedWait'] as const;
/** chat_settings has no version column of its own, so the version of these keys lives beside them in the JSON. */
const VERSION_KEY = 'assignmentVersion';

const stored = z.object({ version: z.number(), settings: chatSettingsSchema });
type Stored = z.output<typeof stored>;

const pick = (s: ChatSettings) => Object.fromEntries(KEYS.map((k) => [k, s[k]])) as Pick<ChatSettings, (typeof KEYS)[number]>;

// companies is keyed by id, not company_id, so Tenant.q does not apply; the id is the tenant's own.
const companyRow = (t: Tenant) => t.unscoped('companies').where({ id: t.companyId });

async function read(t: Tenant, lock = false): Promise<{ raw: Record<string, unknown>; stored: Stored }> {
  const q = companyRow(t).first('chat_settings');
  const row = await (lock ? q.forUpdate() : q);
  const raw: Record<string, unknown> = row?.chat_settings && typeof row.chat_settings === 'object' ? row.chat_settings : {};
  return { raw, stored: { version: Number(raw[VERSION_KEY] ?? 0), settings: pick(readChatSettings(raw)) } };
}

/** 自动分配 settings (ASSIGN-SCREEN-16): versioned (`409 settings_changed`), audited, applied from the next decision. */
export function registerAssignmentSettingsRoutes(api: ApiRouter, c: DependencyContainer) {
  const audit = c.resolve(AuditService);
  const assignment = c.resolve(AssignmentService);
  const manage = { tags: ['settings'], auth: 'agent' as const, permission: 'assign.manage' };

  const save = async (auth: AuthInfo, input: { version: number; settings: ChatSettings }) => {
    const saved = await auth.tenant.transaction(async (t) => {
      const before = await read(t, true);
      if (before.stored.version !== input.version)
        throw conflict('settings_changed', 'Someone else changed these settings; reload and try again', { version: before.stored.version });
      const version = input.version + 1;
      await companyRow(t).update({ chat_settings: JSON.stringify({ ...before.raw, ...pick(input.settings), [VERSION_KEY]: version }) });
      await audit.write(t, {
        actor: auth.agent.id,
        action: 'settings.assignment.update',
        target: 'chat_settings',
        old: before.stored.settings,
        new: pick(input.settings),
      });
      return { version, settings: pick(input.settings) };
    });
    // ASSIGN-TRIGGER-12: a settings change may let waiting requests through (switch on, higher cap, mode).
    await assignment.assignWaiting(auth.companyId);
    return saved;
  };

  api.route({
    ...manage,
    method: 'get',
    path: '/api/settings/assignment',
    summary: 'Automatic assignment settings: switch, mode, default cap, queue limit, previous agent, confirmation, estimated wait (ASSIGN §3.4)',
    response: stored,
    handler: async ({ auth }) => (await read(auth.tenant)).stored,
  });
  api.route({
    ...manage,
    method: 'put',
    path: '/api/settings/assignment',
    summary: 'Save the automatic assignment settings; `version` is the one read (0 before the first save), stale → 409 settings_changed',
    body: z.strictObject({ version: z.number().int().min(0), settings: chatSettingsSchema }),
    response: stored,
    handler: ({ body, auth }) => save(auth, body),
  });
}
