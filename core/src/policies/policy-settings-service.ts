import crypto from 'node:crypto';
import type { KefuConfig } from '@kefu/config';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { SecretBox } from '../infra/crypto.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { AuditService } from '../accounts/audit-service.ts';
import { conflict, fieldError } from '../http/errors.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { TtlCache } from '../infra/ttl-cache.ts';
import { readPolicySettings, type PolicySettings } from './policy-settings-schema.ts';

export interface StoredPolicySettings {
  version: number;
  settings: PolicySettings;
  /** `••••` + the last 4 characters; the full secret is shown once, when made. */
  pushSecret: string | null;
  updatedAt: string | null;
  updatedBy: number | null;
}

/** The secrets a push is signed with: the current one, and the previous one for 24 h after a rotation. */
export interface PushSecrets {
  current: string;
  previous: string | null;
}

/** A node serves settings from memory this long, so a save applies everywhere within it (STYLE "within 5 seconds"). */
const TTL_MS = 5000;
const ROTATION_GRACE_MS = 24 * 3600_000;
const mask = (s: string) => `••••${s.slice(-4)}`;

/** POLICY §7.1.8 settings per company: versioned (`409 settings_changed`), audited, secrets sealed. */
@injectable()
export class PolicySettingsService {
  private readonly cache = new TtlCache<number, PolicySettings>(TTL_MS, (companyId) => this.get(new Tenant(this.db, companyId)).then((s) => s.settings));
  private readonly box: SecretBox;

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Config) private readonly config: KefuConfig,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(AuditService) private readonly audit: AuditService,
  ) {
    this.box = new SecretBox(config.KEFU_SECRET ?? 'kefu-development-secret-change-me-in-production');
  }

  async get(t: Tenant): Promise<StoredPolicySettings> {
    const row = await t.q('policy_settings').first();
    return {
      version: row?.version ?? 0,
      settings: readPolicySettings(row?.settings),
      pushSecret: row?.push_secret ? mask(this.box.open(row.push_secret)) : null,
      updatedAt: row ? new Date(row.updated_at).toISOString() : null,
      updatedBy: row?.updated_by == null ? null : Number(row.updated_by),
    };
  }

  /** What the policies read at run time (defaults when the company never saved), cached ≤ 5 s per node. */
  read(companyId: number): Promise<PolicySettings> {
    return this.cache.get(companyId);
  }

  /** Replaces the document; enabling push for the first time makes a signing secret, returned in full this once. */
  async put(auth: AuthInfo, input: { version: number; settings: PolicySettings }): Promise<StoredPolicySettings & { newPushSecret?: string }> {
    this.checkPushUrl(input.settings);
    let made: string | undefined;
    const saved = await auth.tenant.transaction(async (t) => {
      const before = await t.q('policy_settings').forUpdate().first();
      const current = before?.version ?? 0;
      if (current !== input.version) throw conflict('settings_changed', 'Someone else changed these settings; reload and try again', { version: current });
      const row: Record<string, unknown> = {
        settings: JSON.stringify(input.settings),
        version: current + 1,
        updated_at: this.clock.now(),
        updated_by: auth.agent.id,
      };
      if (input.settings.push.enabled && !before?.push_secret) {
        made = newSecret();
        row.push_secret = this.box.seal(made);
      }
      if (before) await t.q('policy_settings').update(row);
      else {
        const inserted = await t.insert('policy_settings', row).onConflict('company_id').ignore().returning('company_id');
        if (!inserted.length) throw conflict('settings_changed', 'Someone else changed these settings; reload and try again');
      }
      await this.audit.write(t, {
        actor: auth.agent.id,
        action: 'settings.policies.update',
        target: 'policy_settings',
        old: before?.settings,
        new: input.settings,
      });
      return this.get(t);
    });
    this.cache.delete(auth.companyId);
    return made ? { ...saved, newPushSecret: made } : saved;
  }

  /** POLICY-PUSH-10: a new secret, shown in full once; the old one keeps signing alongside for 24 h. */
  async rotatePushSecret(auth: AuthInfo): Promise<{ secret: string; previousValidUntil: string | null }> {
    const secret = newSecret();
    const now = this.clock.now();
    return auth.tenant.transaction(async (t) => {
      const before = await t.q('policy_settings').forUpdate().first();
      const until = before?.push_secret ? new Date(now.getTime() + ROTATION_GRACE_MS) : null;
      const patch = { push_secret: this.box.seal(secret), push_secret_previous: before?.push_secret ?? null, push_secret_previous_until: until };
      if (before) await t.q('policy_settings').update(patch);
      else await t.insert('policy_settings', { ...patch, version: 0, updated_by: auth.agent.id });
      await this.audit.write(t, { actor: auth.agent.id, action: 'settings.policies.pushSecretRotated', target: 'policy_settings' });
      return { secret, previousValidUntil: until?.toISOString() ?? null };
    });
  }

  async pushSecrets(companyId: number): Promise<PushSecrets | null> {
    const row = await new Tenant(this.db, companyId).q('policy_settings').first('push_secret', 'push_secret_previous', 'push_secret_previous_until');
    if (!row?.push_secret) return null;
    const previousValid = row.push_secret_previous && new Date(row.push_secret_previous_until).getTime() > this.clock.now().getTime();
    return { current: this.box.open(row.push_secret), previous: previousValid ? this.box.open(row.push_secret_previous) : null };
  }

  /** Push URLs are https unless the operator allows plain http (SPEC "Outside services"). */
  private checkPushUrl(s: PolicySettings) {
    if (s.push.url && !s.push.url.startsWith('https://') && !this.config.KEFU_OUTBOUND_ALLOW_HTTP)
      throw fieldError('settings.push.url', 'https_required', 'The push URL must use https');
  }
}

/** Standard Webhooks secrets: `whsec_` + base64 of 32 random bytes. */
const newSecret = () => `whsec_${crypto.randomBytes(32).toString('base64')}`;
