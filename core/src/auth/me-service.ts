import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import { PluginEnablement } from '../plugins/plugin-enablement.ts';
import { PermissionCatalog } from '../accounts/permission-catalog.ts';
import { avatarUrl } from '../avatars/avatar-url.ts';

/** The signed-in agent as the console sees it (login answer and /api/auth/me). */
@injectable()
export class MeService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(PluginEnablement) private readonly enablement: PluginEnablement,
    @inject(PermissionCatalog) private readonly catalog: PermissionCatalog,
  ) {}

  async describe(companyId: number, agentPk: number) {
    const a = await this.db('agents').where({ id: agentPk, company_id: companyId }).first();
    const c = await this.db('companies').where({ id: companyId }).first();
    return {
      agent: {
        id: Number(a.id),
        agentId: a.agent_id,
        name: a.name,
        nickname: a.nickname,
        role: a.role,
        isPrimary: a.is_primary,
        permissions: a.role === 'admin' ? (await this.catalog.forCompany(companyId)).map((p) => p.name) : (a.permissions ?? []),
        language: a.language ?? c.console_language,
        email: a.email,
        phone: a.phone,
        // PROFILE-AVATAR-4: the console shows it beside the agent's name.
        avatarUrl: avatarUrl(a.avatar_key),
      },
      company: { id: Number(c.id), publicId: Number(c.public_id), name: c.name },
      mustChangePassword: !!a.must_change_password,
      plugins: await this.enablement.enabledIds(companyId),
    };
  }
}
