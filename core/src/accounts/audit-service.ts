import { injectable } from '../infra/di.ts';
import type { Tenant } from '../tenancy/tenant.ts';

/** Who changed what (BEYOND-AUDIT-14); never holds password or secret values. */
@injectable()
export class AuditService {
  async write(t: Tenant, e: { actor: number | null; action: string; target?: string; old?: unknown; new?: unknown }) {
    await t.insert('audit_log', {
      actor_agent_id: e.actor,
      action: e.action,
      target: e.target ?? null,
      old_value: e.old === undefined ? null : JSON.stringify(e.old),
      new_value: e.new === undefined ? null : JSON.stringify(e.new),
    });
  }
}
