/**
 * The hook map. Plugins add their own hooks by declaration merging:
 *   declare module '@kefu/core/plugin' { interface FilterHooks { 'sms.send': {...} } }
 * so a typo in a hook name does not compile.
 */
export type Actor =
  | { kind: 'visitor'; id?: number }
  | { kind: 'agent'; id: number }
  | { kind: 'plugin'; id: string }
  | { kind: 'system' };

export interface HookContext {
  companyId: number;
  actor: Actor;
}

export interface LoginAgentRef {
  id: number;
  agentId: string;
  role: 'admin' | 'agent';
  isPrimary: boolean;
}

/** What `auth.beforeLogin` carries: plugins may add a factor or demand a step. */
export interface BeforeLoginValue {
  agent: LoginAgentRef;
  ip: string;
  /** Extra credentials an API client sent along with the password (e.g. `otp`). */
  credentials: { otp?: string };
  /** How the login was verified so far, e.g. `password`, `password+otp`. */
  factor: string;
  /** A plugin may restrict the session it will get, e.g. `otp_binding_required`. */
  restriction?: string;
}

export interface VerifyChallengeValue {
  agent: LoginAgentRef;
  step: string;
  code: string;
  ip: string;
  /** Set by the plugin that owns the step when the code is right. */
  verified: boolean;
  factor: string;
}

export interface FilterHooks {
  'auth.beforeLogin': BeforeLoginValue;
  'auth.verifyChallenge': VerifyChallengeValue;
}

export interface ActionHooks {
  'agent.login': { agentId: number; sessionId: number; factor: string; ip: string };
  'agent.logout': { agentId: number; sessionId: number; reason: string };
  'agent.changed': {
    agentId: number;
    kind: 'created' | 'updated' | 'permissionsChanged' | 'disabled' | 'enabled' | 'deleted';
    by: number | null;
  };
  'plugin.enabled': { pluginId: string };
  'plugin.disabled': { pluginId: string };
}

/** A filter stops the flow with a halt; `error` (if any) is what the caller gets. */
export interface Halt {
  stop: true;
  reason: string;
  error?: { status: number; code: string; message?: string; extra?: Record<string, unknown> };
}

export const isHalt = (v: unknown): v is Halt =>
  typeof v === 'object' && v !== null && (v as Halt).stop === true;
