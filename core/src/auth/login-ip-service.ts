import net from 'node:net';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { conflict, validationFailed, type FieldProblem } from '../http/errors.ts';
import { ipInList, normalizeIp, parseCidrList } from '../http/client-ip.ts';
import { AuditService } from '../accounts/audit-service.ts';
import { SessionService } from './session-service.ts';

export interface LoginIpEntry {
  cidr: string;
  note?: string | null;
}

/** Canonical form of one entry, or a reason it is invalid (LOGINIP-LIST-1). */
export function normalizeEntry(raw: string): { cidr: string } | { error: string } {
  const [addr, bits, extra] = raw.trim().split('/');
  if (extra !== undefined || !net.isIP(addr)) return { error: 'not an IPv4/IPv6 address or CIDR range' };
  const v6 = net.isIPv6(addr);
  if (bits === undefined) return { cidr: normalizeIp(addr) };
  const n = Number(bits);
  const [min, max] = v6 ? [16, 128] : [8, 32];
  if (!/^\d+$/.test(bits) || n < min || n > max) return { error: `prefix must be /${min}–/${max}` };
  return { cidr: `${normalizeIp(addr)}/${n}` };
}

@injectable()
export class LoginIpService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(AuditService) private readonly audit: AuditService,
    @inject(SessionService) private readonly sessions: SessionService,
  ) {}

  /** True when the company has no list switched on, or the address is in it. */
  async allows(companyId: number, ip: string): Promise<boolean> {
    const company = await this.db('companies').where({ id: companyId }).first('login_ip_enabled');
    if (!company?.login_ip_enabled) return true;
    const rows = await this.db('login_ip_entries').where({ company_id: companyId }).select('cidr');
    return ipInList(ip, parseCidrList(rows.map((r) => r.cidr).join(',')));
  }

  async get(t: Tenant) {
    const company = await t.unscoped('companies').where({ id: t.companyId }).first('login_ip_enabled');
    const entries = await t.q('login_ip_entries').orderBy('id').select('cidr', 'note', 'added_by', 'added_at');
    return {
      enabled: !!company?.login_ip_enabled,
      entries: entries.map((e: any) => ({
        cidr: e.cidr,
        note: e.note,
        addedBy: e.added_by ? Number(e.added_by) : null,
        addedAt: new Date(e.added_at).toISOString(),
      })),
    };
  }

  async save(
    t: Tenant,
    actor: { agentId: number; sessionId: number; ip: string },
    input: { enabled: boolean; entries: LoginIpEntry[]; confirmLockout?: boolean },
  ) {
    const problems: FieldProblem[] = [];
    const seen = new Set<string>();
    const entries = input.entries.map((e, i) => {
      const n = normalizeEntry(e.cidr);
      if ('error' in n) problems.push({ path: `entries.${i}.cidr`, code: 'invalid_address', message: n.error });
      else if (seen.has(n.cidr)) problems.push({ path: `entries.${i}.cidr`, code: 'duplicate_entry', message: 'Listed twice' });
      else seen.add(n.cidr);
      return { cidr: 'cidr' in n ? n.cidr : e.cidr, note: e.note ?? null };
    });
    if (problems.length) throw validationFailed(problems);
    if (input.enabled && entries.length === 0)
      throw validationFailed([{ path: 'entries', code: 'required', message: 'Add at least one address before switching the list on' }]);
    const inList = ipInList(actor.ip, parseCidrList(entries.map((e) => e.cidr).join(',')));
    if (input.enabled && !inList && !input.confirmLockout) throw conflict('would_lock_out', `Your address ${actor.ip} is not in the list`, { ip: actor.ip });
    const before = await this.get(t);
    await t.transaction(async (tt, trx) => {
      await trx('companies').where({ id: t.companyId }).update({ login_ip_enabled: input.enabled });
      await tt.q('login_ip_entries').delete();
      if (entries.length)
        await tt.insert(
          'login_ip_entries',
          entries.map((e) => ({ ...e, added_by: actor.agentId })),
        );
      await this.audit.write(tt, { actor: actor.agentId, action: 'settings.loginIp', old: before, new: { enabled: input.enabled, entries } });
    });
    if (input.enabled) await this.endOutsideSessions(t, entries);
    return this.get(t);
  }

  /** LOGINIP-SESSIONS-4: sessions whose address is now outside the list end. */
  private async endOutsideSessions(t: Tenant, entries: LoginIpEntry[]) {
    const list = parseCidrList(entries.map((e) => e.cidr).join(','));
    const live = await t.q('sessions').whereNull('ended_at').select('id', 'ip');
    for (const s of live) if (s.ip && !ipInList(s.ip, list)) await this.sessions.end(t.companyId, { sessionId: Number(s.id) }, 'login_ip_not_allowed');
  }
}
