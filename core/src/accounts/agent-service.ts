import { inject, injectable } from '../infra/di.ts';
import type { z } from 'zod';
import type { AuthInfo } from '../auth/auth-info.ts';
import { SessionService } from '../auth/session-service.ts';
import { AGENT_AUTH_CHANGED } from '../auth/authenticator.ts';
import type { Bus } from '../infra/bus.ts';
import { TOKENS } from '../tokens.ts';
import { LoginLogService } from '../auth/login-log-service.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { AppError, conflict, fieldError, forbidden, notFound } from '../http/errors.ts';
import { generatePassword } from '../infra/crypto.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { assertGrantable, assertMayManage, assertNotSelf } from './agent-guard.ts';
import { toAgentRow } from './agent-mapper.ts';
import type { AgentRow, bulkAgentsBody, createAgentBody, listAgentsQuery, updateAgentBody } from './agent-schemas.ts';
import { AuditService } from './audit-service.ts';
import { checkNewPassword, nextHistory } from './password-policy.ts';
import { PasswordHasher } from './password-hasher.ts';
import { PermissionCatalog } from './permission-catalog.ts';
import { newAgentPermissions, withIncluded } from './permissions.ts';
import { TemplateStore } from './template-store.ts';
import { GroupChatPush } from '../internal/group-chat-push.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { WorkbenchSettingsService } from '../auth/workbench-settings.ts';

type CreateInput = z.output<typeof createAgentBody>;
type UpdateInput = z.output<typeof updateAgentBody>;

/** One agent's outcome in a bulk action: `ok`, `unchanged`, or the error code it would have answered alone. */
export interface BulkResult {
  id: number;
  result: string;
}

/** Runs `fn` for each agent on its own, so one refusal (e.g. `seat_limit_reached`) does not stop the rest (AGENT-BULK-19). */
export async function eachAgent(ids: number[], fn: (id: number) => Promise<'ok' | 'unchanged'>): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  for (const id of [...new Set(ids)]) {
    try {
      results.push({ id, result: await fn(id) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results.push({ id, result: err.code });
    }
  }
  return results;
}

/** Agent accounts (SPEC §3.2): every call is made by an authenticated actor within their company. */
@injectable()
export class AgentService {
  constructor(
    @inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @inject(PermissionCatalog) private readonly catalog: PermissionCatalog,
    @inject(SessionService) private readonly sessions: SessionService,
    @inject(LoginLogService) private readonly loginLog: LoginLogService,
    @inject(AuditService) private readonly audit: AuditService,
    @inject(HookRegistry) private readonly hooks: HookRegistry,
    @inject(TOKENS.Bus) private readonly bus: Bus,
    @inject(TemplateStore) private readonly templates: TemplateStore,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(WorkbenchSettingsService) private readonly workbench: WorkbenchSettingsService,
    @inject(GroupChatPush) private readonly groupChats: GroupChatPush,
  ) {}

  async list(t: Tenant, f: z.output<typeof listAgentsQuery>) {
    const base = t.q('agents').whereNull('deleted_at');
    if (f.q) base.where((w) => w.whereILike('agent_id', `%${f.q}%`).orWhereILike('name', `%${f.q}%`).orWhereILike('nickname', `%${f.q}%`));
    if (f.status === 'enabled') base.whereNull('disabled_at');
    if (f.status === 'disabled') base.whereNotNull('disabled_at');
    if (f.role) base.where('role', f.role);
    const [{ count }] = await base.clone().count<{ count: string }[]>('* as count');
    const rows = await base
      .orderBy('id')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize);
    return { total: Number(count), items: await this.withGroups(t, rows) };
  }

  async get(t: Tenant, id: number): Promise<AgentRow> {
    return (await this.withGroups(t, [await this.row(t, id)]))[0];
  }

  async create(actor: AuthInfo, input: CreateInput): Promise<AgentRow & { initialPassword?: string }> {
    const t = actor.tenant;
    if (input.role === 'admin' && actor.agent.role !== 'admin') throw forbidden('admin', 'Only administrators create administrators');
    const template = input.role === 'admin' || input.permissions ? null : await this.templates.chosenOrDefault(t, input.templateId);
    const permissions = input.role === 'admin' ? [] : withIncluded(input.permissions ?? template?.permissions ?? newAgentPermissions, this.catalog.all());
    if (input.role !== 'admin') assertGrantable(actor, permissions, [], this.catalog.all());
    const generated = input.password ? undefined : generatePassword();
    const password = input.password ?? generated!;
    await checkNewPassword('password', password, input.agentId, []);
    // 首次登录修改密码 (LOGIN-FIRSTPW-15) is the default when the caller does not say.
    const firstLoginChange = (await this.workbench.read(t.companyId)).firstLoginPasswordChange;
    const id = await t.transaction(async (tt, trx) => {
      await this.assertSeat(tt);
      const taken = await tt.q('agents').where({ agent_id_lower: input.agentId.toLowerCase() }).first('id');
      if (taken) throw conflict('agent_id_taken', 'This agent ID is taken or reserved');
      const [row] = await tt
        .insert('agents', {
          agent_id: input.agentId,
          agent_id_lower: input.agentId.toLowerCase(),
          name: input.name,
          nickname: input.nickname ?? [...input.name].slice(0, 20).join(''),
          email: input.email,
          phone: input.phone,
          role: input.role,
          permissions,
          permission_template_id: template?.id ?? null,
          max_chats: input.maxChats,
          language: input.language,
          note: input.note ?? null,
          password_hash: await this.hasher.hash(password),
          must_change_password: input.mustChangePassword ?? firstLoginChange,
        })
        .returning('id');
      await this.setGroups(tt, Number(row.id), input.groupIds);
      await this.audit.write(tt, { actor: actor.agent.id, action: 'agent.create', target: input.agentId, new: { ...input, password: undefined } });
      void trx;
      return Number(row.id);
    });
    await this.changed(actor, id, 'created');
    return { ...(await this.get(t, id)), ...(generated ? { initialPassword: generated } : {}) };
  }

  async update(actor: AuthInfo, id: number, input: UpdateInput): Promise<AgentRow> {
    const t = actor.tenant;
    const before = await this.row(t, id);
    const touchesRights = input.role !== undefined || input.permissions !== undefined;
    if (touchesRights) assertNotSelf(actor, id, 'modify');
    const roleChange = input.role !== undefined && input.role !== before.role;
    // AGENT-PRIMARY-10: a demotion is a conflict for anyone, answered before the 403 of who may edit the primary.
    if (roleChange && before.is_primary) throw conflict('primary_admin_protected', 'The primary administrator cannot be demoted');
    assertMayManage(actor, before);
    if (roleChange && actor.agent.role !== 'admin') throw forbidden('admin', 'Only administrators change roles');
    const role = input.role ?? before.role;
    if (input.permissions && role === 'admin' && before.role === 'admin') throw conflict('admin_permissions_fixed', 'Administrators hold every permission');
    let permissions: string[] | undefined;
    if (role === 'agent' && (input.permissions || before.role === 'admin')) {
      permissions = withIncluded(input.permissions ?? newAgentPermissions, this.catalog.all());
      assertGrantable(actor, permissions, before.role === 'admin' ? [] : before.permissions, this.catalog.all());
    }
    const chatsBefore = input.groupIds ? await this.groupChats.chatsOf(t, id) : null;
    await t.transaction(async (tt) => {
      if (role === 'agent' && before.role === 'admin') await this.assertOtherAdmin(tt, id);
      const patch: Record<string, unknown> = { version: before.version + 1, updated_at: new Date() };
      for (const [k, col] of [
        ['name', 'name'],
        ['nickname', 'nickname'],
        ['email', 'email'],
        ['phone', 'phone'],
        ['maxChats', 'max_chats'],
        ['language', 'language'],
        ['note', 'note'],
      ] as const)
        if (input[k] !== undefined) patch[col] = input[k];
      if (input.role !== undefined) patch.role = role;
      if (permissions) Object.assign(patch, { permissions: role === 'admin' ? [] : permissions, permission_template_id: null });
      const n = await tt.q('agents').where({ id, version: input.version }).update(patch);
      // Read through the transaction: the embedded database has one connection, which the transaction holds.
      if (!n) throw conflict('agent_changed', 'Someone else changed this agent; reload and try again', { current: await this.get(tt, id) });
      if (input.groupIds) await this.setGroups(tt, id, input.groupIds);
      await this.audit.write(tt, { actor: actor.agent.id, action: 'agent.update', target: before.agent_id, old: pick(before, Object.keys(patch)), new: patch });
    });
    if (chatsBefore) this.groupChats.announceAgent(id, chatsBefore, await this.groupChats.chatsOf(t, id));
    await this.changed(actor, id, touchesRights ? 'permissionsChanged' : 'updated');
    return this.get(t, id);
  }

  async setDisabled(actor: AuthInfo, id: number, disabled: boolean): Promise<AgentRow> {
    const t = actor.tenant;
    const before = await this.row(t, id);
    assertNotSelf(actor, id, 'modify');
    // AGENT-PRIMARY-10: 409 for anyone, before the 403 of who may manage the primary.
    if (disabled && before.is_primary) throw conflict('primary_admin_protected', 'The primary administrator cannot be disabled');
    assertMayManage(actor, before);
    await t.transaction(async (tt) => {
      if (disabled && before.role === 'admin') await this.assertOtherAdmin(tt, id);
      if (!disabled && before.disabled_at) await this.assertSeat(tt);
      await tt
        .q('agents')
        .where({ id })
        .update({ disabled_at: disabled ? new Date() : null, version: before.version + 1 });
      await this.audit.write(tt, { actor: actor.agent.id, action: disabled ? 'agent.disable' : 'agent.enable', target: before.agent_id });
      await this.loginLog.event(tt, {
        agentId: id,
        actorAgentId: actor.agent.id,
        reason: disabled ? 'agent_disabled' : 'agent_enabled',
        summary: disabled ? 'Account disabled' : 'Account enabled',
      });
    });
    if (disabled) await this.sessions.end(t.companyId, { agentId: id }, 'agent_disabled');
    await this.changed(actor, id, disabled ? 'disabled' : 'enabled');
    return this.get(t, id);
  }

  async remove(actor: AuthInfo, id: number, confirmAgentId: string): Promise<void> {
    const t = actor.tenant;
    const before = await this.row(t, id);
    assertNotSelf(actor, id, 'delete');
    if (before.is_primary) throw conflict('primary_admin_protected', 'The primary administrator cannot be deleted');
    assertMayManage(actor, before);
    if (confirmAgentId.toLowerCase() !== before.agent_id_lower) throw conflict('confirmation_mismatch', 'Type the agent ID to confirm');
    await t.transaction(async (tt) => {
      if (before.role === 'admin') await this.assertOtherAdmin(tt, id);
      // The row stays so the agent ID remains reserved and history keeps a name (AGENT-DELETE-8).
      await tt
        .q('agents')
        .where({ id })
        .update({
          deleted_at: new Date(),
          disabled_at: before.disabled_at ?? new Date(),
          password_hash: null,
          password_history: [],
          email: null,
          phone: null,
          nickname: `${before.nickname}(已删除)`,
        });
      await tt.q('group_members').where({ agent_id: id }).delete();
      await this.audit.write(tt, { actor: actor.agent.id, action: 'agent.delete', target: before.agent_id });
    });
    await this.sessions.end(t.companyId, { agentId: id }, 'agent_deleted');
    await this.changed(actor, id, 'deleted');
  }

  async resetPassword(actor: AuthInfo, id: number, password?: string): Promise<{ password?: string }> {
    const t = actor.tenant;
    const before = await this.row(t, id);
    assertMayManage(actor, before);
    const generated = password ? undefined : generatePassword();
    const next = password ?? generated!;
    // The current password is one of the last three too (PROFILE-PASSWORD-3).
    await checkNewPassword('password', next, before.agent_id, [before.password_hash, ...(before.password_history ?? [])].filter(Boolean));
    await t.transaction(async (tt) => {
      await tt
        .q('agents')
        .where({ id })
        .update({
          password_hash: await this.hasher.hash(next),
          password_history: nextHistory(before.password_hash, before.password_history ?? []),
          must_change_password: actor.agent.id !== id,
        });
      await this.loginLog.event(tt, { agentId: id, actorAgentId: actor.agent.id, reason: 'password_reset', summary: 'Password reset' });
      await this.audit.write(tt, { actor: actor.agent.id, action: 'agent.passwordReset', target: before.agent_id });
    });
    await this.sessions.end(t.companyId, { agentId: id, exceptSessionId: actor.agent.id === id ? actor.sessionId : undefined }, 'password_changed');
    return generated ? { password: generated } : {};
  }

  /**
   * Replaces a non-admin agent's permissions with a template's (AGENT-TEMPLATE-18) under the
   * rules of a direct edit (AGENT-PERMS-16); `dryRun` only says whether it would change.
   */
  async applyTemplate(actor: AuthInfo, id: number, template: { id: number; permissions: string[] }, dryRun: boolean): Promise<'ok' | 'unchanged'> {
    const t = actor.tenant;
    const before = await this.row(t, id);
    assertNotSelf(actor, id, 'modify');
    assertMayManage(actor, before);
    if (before.role === 'admin') throw conflict('admin_permissions_fixed', 'Administrators hold every permission');
    const permissions = withIncluded(template.permissions, this.catalog.all());
    assertGrantable(actor, permissions, before.permissions, this.catalog.all());
    const same = permissions.join() === [...before.permissions].sort().join();
    if (dryRun) return same ? 'unchanged' : 'ok';
    await t.transaction(async (tt) => {
      await tt
        .q('agents')
        .where({ id })
        .update({ permissions, permission_template_id: template.id, version: before.version + 1, updated_at: new Date() });
      await this.audit.write(tt, {
        actor: actor.agent.id,
        action: 'agent.applyTemplate',
        target: before.agent_id,
        old: { permissions: before.permissions },
        new: { permissions, templateId: template.id },
      });
    });
    if (same) return 'unchanged';
    await this.changed(actor, id, 'permissionsChanged');
    return 'ok';
  }

  /** AGENT-BULK-19: each agent goes through the same checks as alone; the answer lists every agent's result. */
  async bulk(actor: AuthInfo, input: z.output<typeof bulkAgentsBody>): Promise<{ results: BulkResult[]; changed: number }> {
    const a = input.action;
    const template = a.kind === 'applyTemplate' ? await this.templates.chosenOrDefault(actor.tenant, a.templateId) : null;
    const results = await eachAgent(input.agentIds, async (id) => {
      const before = await this.get(actor.tenant, id);
      const groups = before.groups.map((g) => g.id);
      switch (a.kind) {
        case 'disable':
        case 'enable':
          if (before.disabled === (a.kind === 'disable')) return 'unchanged';
          await this.setDisabled(actor, id, a.kind === 'disable');
          return 'ok';
        case 'setMaxChats':
          if (before.maxChats === a.maxChats) return 'unchanged';
          await this.update(actor, id, { version: before.version, maxChats: a.maxChats });
          return 'ok';
        case 'addGroups':
        case 'removeGroups': {
          const next = a.kind === 'addGroups' ? [...new Set([...groups, ...a.groupIds])] : groups.filter((g) => !a.groupIds.includes(g));
          if (next.length === groups.length && next.every((g) => groups.includes(g))) return 'unchanged';
          if (next.length > 20) throw fieldError('groupIds', 'too_many_groups', 'An agent belongs to at most 20 groups');
          await this.update(actor, id, { version: before.version, groupIds: next });
          return 'ok';
        }
        case 'applyTemplate':
          return this.applyTemplate(actor, id, template!, false);
      }
    });
    return { results, changed: results.filter((r) => r.result === 'ok').length };
  }

  async endSessions(actor: AuthInfo, id: number): Promise<{ ended: number }> {
    const before = await this.row(actor.tenant, id);
    assertMayManage(actor, before);
    const ended = await this.sessions.end(actor.tenant.companyId, { agentId: id, exceptSessionId: actor.sessionId }, 'ended_by_admin');
    await this.loginLog.event(actor.tenant, {
      agentId: id,
      actorAgentId: actor.agent.id,
      reason: 'ended_by_admin',
      summary: `${ended} session(s) ended by an administrator`,
    });
    return { ended };
  }

  /** LOGINLOG-FORCE-7: 强制下线 of the one session behind a login-log row still 在线中, under AGENT-SESSIONS-20's rules. */
  async endLoggedSession(actor: AuthInfo, entryId: number): Promise<{ ended: number }> {
    const t = actor.tenant;
    if (!(await t.q('login_log').where({ id: entryId }).first('id'))) throw notFound('Login-log entry not found');
    const session = await t.q('sessions').where({ login_log_id: entryId }).whereNull('ended_at').first('id', 'agent_id');
    if (!session) throw conflict('session_not_online', 'The session of this entry has already ended');
    const before = await this.row(t, Number(session.agent_id));
    assertMayManage(actor, before);
    const ended = await this.sessions.end(t.companyId, { sessionId: Number(session.id) }, 'ended_by_admin');
    await this.loginLog.event(t, { agentId: before.id, actorAgentId: actor.agent.id, reason: 'ended_by_admin', summary: 'Session ended by an administrator' });
    await this.audit.write(t, { actor: actor.agent.id, action: 'agent.sessionEnd', target: before.agent_id, new: { loginLogId: entryId } });
    return { ended };
  }

  private async row(t: Tenant, id: number) {
    const r = await t.q('agents').where({ id }).whereNull('deleted_at').first();
    if (!r) throw notFound('Agent not found');
    return { ...r, id: Number(r.id) };
  }

  private async withGroups(t: Tenant, rows: any[]): Promise<AgentRow[]> {
    const ids = rows.map((r) => Number(r.id));
    const links = ids.length
      ? await t
          .q('group_members as m')
          .join('groups as g', 'g.id', 'm.group_id')
          .whereIn('m.agent_id', ids)
          .select('m.agent_id', 'g.id', 'g.name')
          .orderBy('g.name')
      : [];
    return rows.map((r) =>
      toAgentRow(
        r,
        links.filter((l: any) => Number(l.agent_id) === Number(r.id)).map((l: any) => ({ id: Number(l.id), name: l.name })),
      ),
    );
  }

  private async setGroups(t: Tenant, agentId: number, groupIds: number[]) {
    const unique = [...new Set(groupIds)];
    const found = unique.length ? await t.q('groups').whereIn('id', unique).select('id') : [];
    if (found.length !== unique.length) throw notFound('Group not found');
    await t.q('group_members').where({ agent_id: agentId }).delete();
    if (unique.length)
      await t.insert(
        'group_members',
        unique.map((g) => ({ group_id: g, agent_id: agentId })),
      );
  }

  private async assertSeat(t: Tenant) {
    const c = await t.unscoped('companies').where({ id: t.companyId }).forUpdate().first('seats');
    if (c?.seats == null) return;
    const [{ count }] = await t.q('agents').whereNull('disabled_at').whereNull('deleted_at').count<{ count: string }[]>('* as count');
    if (Number(count) >= c.seats) throw conflict('seat_limit_reached', `All ${c.seats} seats are in use`, { seats: c.seats });
  }

  private async assertOtherAdmin(t: Tenant, exceptId: number) {
    const other = await t.q('agents').where({ role: 'admin' }).whereNull('disabled_at').whereNull('deleted_at').whereNot({ id: exceptId }).first('id');
    if (!other) throw conflict('last_admin', 'The company must keep at least one enabled administrator');
  }

  private async changed(actor: AuthInfo, agentId: number, kind: 'created' | 'updated' | 'permissionsChanged' | 'disabled' | 'enabled' | 'deleted') {
    await this.bus.publish(AGENT_AUTH_CHANGED, { agentId });
    // Rosters, pickers and agent lists of every open console refetch (AGENT-EVENTS-21); the adapter carries it to every node.
    this.notifier.toAgents(rooms.company(actor.companyId), 'agents.changed', { agentId, kind });
    await this.hooks.emit('agent.changed', { agentId, kind, by: actor.agent.id }, { companyId: actor.companyId, actor: { kind: 'agent', id: actor.agent.id } });
  }
}

const pick = (o: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => k !== 'updated_at' && k !== 'version').map((k) => [k, o[k]]));
