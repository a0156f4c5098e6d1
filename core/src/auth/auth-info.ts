import type { Tenant } from '../tenancy/tenant.ts';

/** Who is calling, loaded fresh from the database on every request (never from the token). */
export interface AuthInfo {
  sessionId: number;
  sessionKind: 'console' | 'api';
  restriction: string | null;
  companyId: number;
  companyPublicId: number;
  agent: {
    id: number;
    agentId: string;
    name: string;
    nickname: string;
    role: 'admin' | 'agent';
    isPrimary: boolean;
    permissions: string[];
    language: string | null;
  };
  tenant: Tenant;
  /** Admins hold everything; others what they were granted. */
  can(permission: string): boolean;
}
