import { z } from 'zod';
import type { AuthInfo } from '../auth/auth-info.ts';
import { conflict, notFound } from '../http/errors.ts';
import { inject, injectable } from '../infra/di.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { assertGrantable } from './agent-guard.ts';
import { AuditService } from './audit-service.ts';
import { PermissionCatalog } from './permission-catalog.ts';
import { newAgentPermissions, withIncluded } from './permissions.ts';

export const TEMPLATE_LIMIT = 30;

const templateName = z.string().trim().min(1).max(30);
const templatePermissions = z.array(z.string().max(64)).max(200);
export const createTemplateBody = z.strictObject({ name: templateName, permissions: templatePermissions, isDefault: z.boolean().optional() });
export const updateTemplateBody = z.strictObject({
  name: templateName.optional(),
  permissions: templatePermissions.optional(),
  isDefault: z.literal(true).optional().describe('Make this the default for new agents; the default moves, it is never unset'),
});
export const templateView = z.object({
  id: z.number(),
  name: z.string(),
  permissions: z.array(z.string()),
  isDefault: z.boolean(),
  /** Agents it was last applied to, whose permissions were not edited by hand since (they are what 重新应用 touches). */
  agentCount: z.number(),
});
export type TemplateView = z.infer<typeof templateView>;

/** The built-in templates of AGENT-TEMPLATE-18; 普通客服 is the default and holds the "new agent" column. */
const builtIn = [
  { name: '普通客服', permissions: newAgentPermissions, is_default: true },
  {
    name: '组长',
    permissions: [...newAgentPermissions, 'conversation.monitor', 'history.viewAll', 'leavemsg.viewAll', 'loginlog.view', 'notice.publish'],
    is_default: false,
  },
  { name: '质检', permissions: [...newAgentPermissions, 'conversation.monitor', 'history.viewAll', 'history.evaluate', 'history.export'], is_default: false },
];

/** Permission templates (SPEC AGENT-TEMPLATE-18). Applying one to agents is AgentService's, under the rules of a direct edit. */
@injectable()
export class TemplateStore {
  constructor(
    @inject(PermissionCatalog) private readonly catalog: PermissionCatalog,
    @inject(AuditService) private readonly audit: AuditService,
  ) {}

  async list(t: Tenant): Promise<TemplateView[]> {
    await this.ensureSeeded(t);
    const rows = await t.q('permission_templates').orderBy('id');
    const counts = await t
      .q('agents')
      .whereNotNull('permission_template_id')
      .whereNull('deleted_at')
      .groupBy('permission_template_id')
      .select('permission_template_id')
      .count('* as n');
    const n = new Map(counts.map((c: any) => [Number(c.permission_template_id), Number(c.n)]));
    return rows.map((r: any) => ({
      id: Number(r.id),
      name: r.name,
      permissions: r.permissions,
      isDefault: r.is_default,
      agentCount: n.get(Number(r.id)) ?? 0,
    }));
  }

  async get(t: Tenant, id: number): Promise<TemplateView> {
    const found = (await this.list(t)).find((x) => x.id === id);
    if (!found) throw notFound('Template not found');
    return found;
  }

  /** The template a new agent starts from: the one chosen, else the company's default. */
  async chosenOrDefault(t: Tenant, templateId?: number): Promise<{ id: number; permissions: string[] } | null> {
    await this.ensureSeeded(t);
    const row = await t
      .q('permission_templates')
      .where(templateId === undefined ? { is_default: true } : { id: templateId })
      .first('id', 'permissions');
    if (!row && templateId !== undefined) throw notFound('Template not found');
    return row ? { id: Number(row.id), permissions: row.permissions } : null;
  }

  async create(actor: AuthInfo, input: z.output<typeof createTemplateBody>): Promise<TemplateView> {
    const t = actor.tenant;
    const permissions = this.checked(actor, input.permissions, []);
    await this.ensureSeeded(t);
    const id = await t.transaction(async (tt) => {
      const [{ count }] = await tt.q('permission_templates').count<{ count: string }[]>('* as count');
      if (Number(count) >= TEMPLATE_LIMIT) throw conflict('template_limit', `At most ${TEMPLATE_LIMIT} templates per company`);
      await this.assertNameFree(tt, input.name);
      if (input.isDefault) await tt.q('permission_templates').where({ is_default: true }).update({ is_default: false });
      const [row] = await tt
        .insert('permission_templates', { name: input.name, name_lower: input.name.toLowerCase(), permissions, is_default: input.isDefault ?? false })
        .returning('id');
      await this.audit.write(tt, { actor: actor.agent.id, action: 'template.create', target: input.name, new: { ...input, permissions } });
      return Number(row.id);
    });
    return this.get(t, id);
  }

  /** Editing changes no agent (AGENT-TEMPLATE-18): only 重新应用 does. */
  async update(actor: AuthInfo, id: number, input: z.output<typeof updateTemplateBody>): Promise<TemplateView> {
    const t = actor.tenant;
    const before = await this.manageable(actor, id);
    const permissions = input.permissions ? this.checked(actor, input.permissions, before.permissions) : undefined;
    await t.transaction(async (tt) => {
      if (input.name !== undefined && input.name.toLowerCase() !== before.name.toLowerCase()) await this.assertNameFree(tt, input.name);
      if (input.isDefault) await tt.q('permission_templates').where({ is_default: true }).update({ is_default: false });
      const patch: Record<string, unknown> = { updated_at: new Date() };
      if (input.name !== undefined) Object.assign(patch, { name: input.name, name_lower: input.name.toLowerCase() });
      if (permissions) patch.permissions = permissions;
      if (input.isDefault) patch.is_default = true;
      await tt.q('permission_templates').where({ id }).update(patch);
      await this.audit.write(tt, {
        actor: actor.agent.id,
        action: 'template.update',
        target: before.name,
        old: { name: before.name, permissions: before.permissions, isDefault: before.isDefault },
        new: { ...input, permissions },
      });
    });
    return this.get(t, id);
  }

  async remove(actor: AuthInfo, id: number): Promise<void> {
    const before = await this.manageable(actor, id);
    if (before.isDefault) throw conflict('template_is_default', 'Make another template the default before deleting this one');
    await actor.tenant.transaction(async (tt) => {
      await tt.q('permission_templates').where({ id }).delete();
      await this.audit.write(tt, { actor: actor.agent.id, action: 'template.delete', target: before.name, old: before });
    });
  }

  /** Agents 重新应用 would touch: those it was last applied to and not edited by hand since. */
  async linkedAgents(t: Tenant, id: number): Promise<number[]> {
    const rows = await t.q('agents').where({ permission_template_id: id }).whereNull('deleted_at').orderBy('id').select('id');
    return rows.map((r: any) => Number(r.id));
  }

  /** A non-admin manager handles only templates within their own permissions (AGENT-PERMS-16). */
  async manageable(actor: AuthInfo, id: number): Promise<TemplateView> {
    const tpl = await this.get(actor.tenant, id);
    assertGrantable(actor, tpl.permissions, [], this.catalog.all());
    return tpl;
  }

  private checked(actor: AuthInfo, requested: string[], before: string[]): string[] {
    const permissions = withIncluded(requested, this.catalog.all());
    assertGrantable(actor, permissions, before, this.catalog.all());
    return permissions;
  }

  private async assertNameFree(t: Tenant, name: string) {
    if (await t.q('permission_templates').where({ name_lower: name.toLowerCase() }).first('id'))
      throw conflict('template_name_taken', 'A template with this name exists');
  }

  /** Creates the built-in templates once per company; the flag (not the row count) decides, so deleting them all does not bring them back. */
  private async ensureSeeded(t: Tenant) {
    const company = await t.unscoped('companies').where({ id: t.companyId }).first('templates_seeded');
    if (company?.templates_seeded) return;
    await t.transaction(async (tt, trx) => {
      const claimed = await trx('companies').where({ id: t.companyId, templates_seeded: false }).update({ templates_seeded: true });
      if (!claimed) return;
      await tt.insert(
        'permission_templates',
        builtIn.map((b) => ({ name: b.name, name_lower: b.name, permissions: [...b.permissions].sort(), is_default: b.is_default })),
      );
    });
  }
}
