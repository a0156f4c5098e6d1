import { TestClient, type TestKefu } from '@kefu/core/testing';

/** A password that passes PROFILE-PASSWORD-3 for any agent ID used in these tests. */
export const AGENT_PASSWORD = 'Quiet-river-42';

export interface CreatedAgent {
  id: number;
  agentId: string;
  version: number;
  permissions: string[];
  role: 'admin' | 'agent';
  password: string;
  [k: string]: unknown;
}

/** A client whose requests appear to come from `ip` (127.0.0.1 is a trusted proxy by default). */
export const clientAt = (k: TestKefu, ip: string) => new TestClient(k.url, { 'x-forwarded-for': ip });

export const loginBody = (k: TestKefu, agentId: string, password: string, extra: Record<string, unknown> = {}) => ({
  companyId: String(k.company.publicId),
  agentId,
  password,
  ...extra,
});

/** Signs in through the real API; throws with the answer when it fails. */
export async function signIn(k: TestKefu, agentId: string, password = AGENT_PASSWORD, opts: { ip?: string; publicId?: number } = {}) {
  const c = opts.ip ? clientAt(k, opts.ip) : k.client();
  const r = await c.post('/api/auth/login', { companyId: String(opts.publicId ?? k.company.publicId), agentId, password });
  if (r.status !== 200) throw new Error(`login of ${agentId} failed: ${r.status} ${r.text}`);
  return c;
}

/** Adds an agent through POST /api/agents (no first-login password change, so tests can sign in). */
export async function addAgent(
  admin: TestClient,
  agentId: string,
  opts: { permissions?: string[]; role?: 'admin' | 'agent'; password?: string; name?: string; groupIds?: number[] } = {},
): Promise<CreatedAgent> {
  const password = opts.password ?? AGENT_PASSWORD;
  const r = await admin.post('/api/agents', {
    agentId,
    name: opts.name ?? agentId,
    password,
    mustChangePassword: false,
    ...(opts.permissions ? { permissions: opts.permissions } : {}),
    ...(opts.role ? { role: opts.role } : {}),
    ...(opts.groupIds ? { groupIds: opts.groupIds } : {}),
  });
  if (r.status !== 201) throw new Error(`creating ${agentId} failed: ${r.status} ${r.text}`);
  return { ...r.body, password };
}

/** PATCH /api/agents/:id with the agent's current version. */
export async function patchAgent(admin: TestClient, id: number, patch: Record<string, unknown>) {
  const cur = await admin.get(`/api/agents/${id}`);
  if (cur.status !== 200) throw new Error(`reading agent ${id} failed: ${cur.status} ${cur.text}`);
  return admin.patch(`/api/agents/${id}`, { version: cur.body.version, ...patch });
}

/** Sets an agent's permissions and insists it worked. */
export async function setPermissions(admin: TestClient, id: number, permissions: string[]) {
  const r = await patchAgent(admin, id, { permissions });
  if (r.status !== 200) throw new Error(`setting permissions of ${id} failed: ${r.status} ${r.text}`);
  return r.body;
}
