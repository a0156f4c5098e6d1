import crypto from 'node:crypto';
import { inject, injectable } from '../infra/di.ts';
import { TOKENS } from '../tokens.ts';
import type { Db } from '../infra/db.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { AuditService } from '../accounts/audit-service.ts';
import { conflict, fieldError, notFound } from '../http/errors.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { StyleImageService, type ImageRef } from '../settings/style-image-service.ts';
import { embedCode } from './embed-code.ts';
import { ICON_LIMIT, iconBody, type IconBody, type IconView } from './icon-schemas.ts';

export interface IconRow {
  id: string | number;
  key: string;
  name: string;
  type: IconBody['type'];
  language: string;
  agent_id: string | number | null;
  group_id: string | number | null;
  binding_removed_at: Date | null;
  options: Partial<IconBody> | string;
  created_at: Date;
  updated_at: Date;
}

const options = (row: IconRow): IconBody =>
  iconBody.parse({
    ...(typeof row.options === 'string' ? JSON.parse(row.options) : row.options),
    name: row.name,
    type: row.type,
    language: row.language,
    binding: row.agent_id
      ? { kind: 'agent', agentId: Number(row.agent_id) }
      : row.group_id
        ? { kind: 'group', groupId: Number(row.group_id) }
        : { kind: 'none' },
  });

/** ICON-IMAGE-4: the uploaded images an icon shows, where each is named. */
export const iconImageRefs = (icon: Pick<IconBody, 'image'>): ImageRef[] =>
  icon.image.source === 'custom'
    ? [
        ['image.online', 'icon', icon.image.online],
        ['image.offline', 'icon', icon.image.offline],
        ['image.busy', 'icon', icon.image.busy],
      ]
    : [];

/**
 * A company's chat icons (ICON §7.1.1). Keys are 128 random bits and rows are
 * only soft-deleted, so a key is never handed out twice (ICON-MANAGE-9).
 */
@injectable()
export class IconService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(AuditService) private readonly audit: AuditService,
    @inject(StyleImageService) private readonly images: StyleImageService,
  ) {}

  /** Every image key the company's live icons show (kept by the upload sweep). */
  async imageKeys(t: Tenant): Promise<string[]> {
    const rows: IconRow[] = await t.q('icons').whereNull('deleted_at').select('*');
    return rows.flatMap((r) => iconImageRefs(options(r)).flatMap(([, , key]) => (key ? [key] : [])));
  }

  /** `origin`: where the embed code loads the widget from (PUBLIC_URL, else the address the console uses). */
  async list(t: Tenant, origin: string): Promise<IconView[]> {
    const rows: IconRow[] = await t.q('icons').whereNull('deleted_at').orderBy('created_at').orderBy('id');
    const publicId = await this.publicId(t);
    return rows.map((r) => this.view(r, publicId, origin));
  }

  async create(auth: AuthInfo, body: IconBody, origin: string): Promise<IconView> {
    const t = auth.tenant;
    const [{ n }] = await t.q('icons').whereNull('deleted_at').count<{ n: string }[]>('* as n');
    if (Number(n) >= ICON_LIMIT) throw conflict('icon_limit', `At most ${ICON_LIMIT} icons`);
    await this.checkRefs(t, body);
    const key = crypto.randomBytes(16).toString('base64url');
    const id = await this.write(t, body, (row) => t.insert('icons', { ...row, key }).returning('id'));
    await this.audit.write(t, { actor: auth.agent.id, action: 'icons.create', target: `icon:${id}`, new: body });
    return this.one(t, id, origin);
  }

  async update(auth: AuthInfo, id: number, body: IconBody, origin: string): Promise<IconView> {
    const t = auth.tenant;
    const before = await this.row(t, id);
    await this.checkRefs(t, body);
    await this.write(t, body, (row) =>
      t
        .q('icons')
        .where({ id })
        .update({ ...row, binding_removed_at: null, updated_at: new Date() })
        .returning('id'),
    );
    await this.images.dropUnnamed(t, iconImageRefs(options(before)), iconImageRefs(body));
    await this.audit.write(t, { actor: auth.agent.id, action: 'icons.update', target: `icon:${id}`, old: options(before), new: body });
    return this.one(t, id, origin);
  }

  async remove(auth: AuthInfo, id: number): Promise<void> {
    const before = await this.row(auth.tenant, id);
    await auth.tenant.q('icons').where({ id }).update({ deleted_at: new Date() });
    await this.images.dropUnnamed(auth.tenant, iconImageRefs(options(before)), []);
    await this.audit.write(auth.tenant, { actor: auth.agent.id, action: 'icons.delete', target: `icon:${id}`, old: options(before) });
  }

  /** A live icon by its public key, with its settings; null for unknown or deleted keys. */
  async byKey(companyId: number, key: string): Promise<{ id: number; icon: IconBody } | null> {
    const row: IconRow | undefined = await new Tenant(this.db, companyId).q('icons').where({ key }).whereNull('deleted_at').first();
    return row ? { id: Number(row.id), icon: options(row) } : null;
  }

  private async one(t: Tenant, id: number, origin: string): Promise<IconView> {
    return this.view(await this.row(t, id), await this.publicId(t), origin);
  }

  private async row(t: Tenant, id: number): Promise<IconRow> {
    const row = await t.q('icons').where({ id }).whereNull('deleted_at').first();
    if (!row) throw notFound('No such icon');
    return row;
  }

  private async publicId(t: Tenant): Promise<number> {
    const c = await t.unscoped('companies').where({ id: t.companyId }).first('public_id');
    return Number(c.public_id);
  }

  private async write(t: Tenant, body: IconBody, run: (row: Record<string, unknown>) => Promise<{ id: string | number }[]>): Promise<number> {
    const { name, type, language, binding, ...rest } = body;
    const row = {
      name,
      type,
      language,
      agent_id: binding.kind === 'agent' ? binding.agentId : null,
      group_id: binding.kind === 'group' ? binding.groupId : null,
      options: JSON.stringify(rest),
    };
    try {
      const [r] = await run(row);
      return Number(r.id);
    } catch (err: any) {
      if (err?.code === '23505') throw conflict('icon_name_taken', `An icon named "${name}" exists`);
      throw err;
    }
  }

  /** ICON-BIND-5, ICON-GROUP-6: bindings and entries name live agents and groups of this company. */
  private async checkRefs(t: Tenant, body: IconBody) {
    await this.images.checkRefs(t, iconImageRefs(body));
    if (body.type === 'group' && !(await t.q('groups').first('id'))) throw conflict('no_groups', 'Create groups first');
    const agentOk = async (id: number) => !!(await t.q('agents').where({ id }).whereNull('disabled_at').whereNull('deleted_at').first('id'));
    const groupOk = async (id: number) => !!(await t.q('groups').where({ id }).first('id'));
    const b = body.binding;
    if (b.kind === 'agent' && !(await agentOk(b.agentId))) throw fieldError('binding.agentId', 'agent_not_found', `No agent ${b.agentId}`);
    if (b.kind === 'group' && !(await groupOk(b.groupId))) throw fieldError('binding.groupId', 'group_not_found', `No group ${b.groupId}`);
    for (const [i, e] of body.entries.entries())
      if (!(await (e.kind === 'agent' ? agentOk : groupOk)(e.id))) throw fieldError(`entries.${i}.id`, `${e.kind}_not_found`, `No ${e.kind} ${e.id}`);
  }

  private view(row: IconRow, publicId: number, origin: string): IconView {
    const o = options(row);
    return {
      id: Number(row.id),
      key: row.key,
      name: o.name,
      type: o.type,
      language: o.language,
      binding: o.binding,
      bindingRemovedAt: row.binding_removed_at ? new Date(row.binding_removed_at).toISOString() : null,
      float: o.float,
      text: o.text,
      style: o.style,
      image: o.image,
      alt: o.alt,
      entries: o.entries,
      code: embedCode(origin, publicId, { key: row.key, alt: o.alt[o.language === 'auto' ? 'zh-CN' : o.language] ?? o.name }),
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }
}
