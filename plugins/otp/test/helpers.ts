import { ADMIN_PASSWORD, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { totpAt } from '../server/totp.ts';

export { ADMIN_PASSWORD };
export const AGENT_PASSWORD = 'Agent-pass-2026x';

/** A clock the test moves by hand; starts in the middle of a 30 s step so codes never straddle one. */
export class TestClock {
  t: number;
  constructor(start = Date.now()) {
    this.t = Math.floor(start / 30_000) * 30_000 + 15_000;
  }
  now = () => new Date(this.t);
  advance(ms: number) {
    this.t += ms;
  }
  /** Moves to the next 30 s step so a fresh code is accepted. */
  nextStep() {
    this.advance(30_000);
  }
}

export interface Setup {
  k: TestKefu;
  clock: TestClock;
  admin: TestClient;
}

/** A server with one company that has `otp` enabled through the real API. */
export async function setup(env: Record<string, string> = {}, enable = true): Promise<Setup> {
  const clock = new TestClock();
  const k = await startTestServer(env, { clock });
  const admin = await k.login();
  if (enable) {
    const r = await admin.post('/api/plugins/otp/enable', {});
    if (r.status !== 200) throw new Error(`enable failed: ${r.status} ${r.text}`);
  }
  return { k, clock, admin };
}

export const codeAt = (secret: string, clock: TestClock, stepOffset = 0) => totpAt(secret, clock.now().getTime() / 1000 + stepOffset * 30);

/** Adds an agent through the real API; no forced password change. */
export async function createAgent(admin: TestClient, agentId: string, extra: Record<string, unknown> = {}): Promise<number> {
  const r = await admin.post('/api/agents', { agentId, name: agentId, password: AGENT_PASSWORD, mustChangePassword: false, ...extra });
  if (r.status !== 201) throw new Error(`create agent failed: ${r.status} ${r.text}`);
  return r.body.id;
}

/** POST /api/auth/login on a fresh client (no cookie yet). */
export async function tryLogin(k: TestKefu, agentId: string, password: string, extra: Record<string, unknown> = {}, publicId = k.company.publicId) {
  const c = k.client();
  const r = await c.post('/api/auth/login', { companyId: String(publicId), agentId, password, ...extra });
  return { c, r };
}

/** Full two-step console login with the current code; returns the signed-in client. */
export async function loginWithOtp(k: TestKefu, clock: TestClock, agentId: string, password: string, secret: string, publicId = k.company.publicId) {
  const { c, r } = await tryLogin(k, agentId, password, {}, publicId);
  if (r.status !== 401 || r.body?.error?.code !== 'otp_required') throw new Error(`expected otp_required: ${r.status} ${r.text}`);
  const v = await c.post('/api/auth/login/verify', { challengeId: r.body.error.challengeId, code: await codeAt(secret, clock) });
  if (v.status !== 200) throw new Error(`verify failed: ${v.status} ${v.text}`);
  return c;
}

/** Binds the signed-in agent of `c`; moves the clock to the next step so the confirming code is spent. */
export async function bind(c: TestClient, clock: TestClock, password: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const s = await c.post('/api/p/otp/bind/start', { password });
  if (s.status !== 200) throw new Error(`bind start failed: ${s.status} ${s.text}`);
  const secret: string = s.body.secret;
  const r = await c.post('/api/p/otp/bind/confirm', { code: await codeAt(secret, clock) });
  if (r.status !== 200) throw new Error(`bind confirm failed: ${r.status} ${r.text}`);
  clock.nextStep();
  return { secret, recoveryCodes: r.body.recoveryCodes };
}

/** Another code than `code`, of the same length. */
export const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
