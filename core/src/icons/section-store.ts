import type { z } from 'zod';
import { inject, injectable } from '../infra/di.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { AuditService } from '../accounts/audit-service.ts';
import { conflict } from '../http/errors.ts';
import type { Tenant } from '../tenancy/tenant.ts';

export interface StoredSection<T> {
  version: number;
  settings: T;
  updatedAt: string | null;
  updatedBy: number | null;
}

/**
 * The versioned, audited settings documents of `service_sections` (STYLE-STORE-2):
 * reading fills defaults through the schema; saving with a stale version →
 * `409 settings_changed`.
 */
@injectable()
export class SectionStore {
  constructor(@inject(AuditService) private readonly audit: AuditService) {}

  async get<S extends z.ZodType>(t: Tenant, section: string, schema: S): Promise<StoredSection<z.output<S>>> {
    const row = await t.q('service_sections').where({ section }).first();
    const parsed = schema.safeParse(row ? (typeof row.settings === 'string' ? JSON.parse(row.settings) : row.settings) : {});
    return {
      version: row?.version ?? 0,
      settings: parsed.success ? parsed.data : schema.parse({}),
      updatedAt: row ? new Date(row.updated_at).toISOString() : null,
      updatedBy: row?.updated_by == null ? null : Number(row.updated_by),
    };
  }

  async put<S extends z.ZodType>(auth: AuthInfo, section: string, schema: S, input: { version: number; settings: z.output<S> }) {
    return auth.tenant.transaction(async (t) => {
      const before = await t.q('service_sections').where({ section }).forUpdate().first();
      const current = before?.version ?? 0;
      if (current !== input.version) throw conflict('settings_changed', 'Someone else changed these settings; reload and try again', { version: current });
      const row = { settings: JSON.stringify(input.settings), version: current + 1, updated_at: new Date(), updated_by: auth.agent.id };
      if (before) await t.q('service_sections').where({ section }).update(row);
      else {
        const inserted = await t
          .insert('service_sections', { ...row, section })
          .onConflict(['company_id', 'section'])
          .ignore()
          .returning('section');
        if (!inserted.length) throw conflict('settings_changed', 'Someone else changed these settings; reload and try again');
      }
      await this.audit.write(t, {
        actor: auth.agent.id,
        action: `settings.${section}.update`,
        target: 'service_sections',
        old: before?.settings,
        new: input.settings,
      });
      return this.get(t, section, schema);
    });
  }
}
