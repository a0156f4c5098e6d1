/**
 * The hook map. Plugins add their own hooks by declaration merging:
 *   declare module '@kefu/core/plugin' { interface FilterHooks { 'sms.send': {...} } }
 * so a typo in a hook name does not compile.
 */
export type Actor = { kind: 'visitor'; id?: number } | { kind: 'agent'; id: number } | { kind: 'plugin'; id: string } | { kind: 'system' };

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

/** What `message.beforeSend` carries; a filter may rewrite the text or halt (sensitive words, robot). */
export interface BeforeSendValue {
  conversationId: number;
  visitorId: number;
  channel: string;
  senderKind: 'visitor' | 'agent' | 'system' | 'plugin';
  senderId: string | null;
  kind: string;
  text: string | null;
  payload: Record<string, unknown> | null;
}

export interface RoutingCandidate {
  agentId: number;
  load: number;
  cap: number;
  todayCount: number;
  lastAssignedAt: string | null;
  status: string;
}

/** Who a request is for: one group's members, or (null) the whole company. */
export interface RoutingScope {
  groupId: number | null;
}

/** What `visitor.routing` carries: handlers may narrow or re-order candidates, or halt (ASSIGN-HOOK-14). */
export interface RoutingValue {
  conversationId: number;
  scope: RoutingScope;
  visitor: { id: number; language: string | null; channel: string; region: string | null };
  mode: 'service' | 'sales';
  candidates: RoutingCandidate[];
  /** Set by a handler (member-sso's 优先 rule, SSO-ROUTING-13): the request waits in the priority class of ASSIGN-QUEUE-8. */
  priority?: boolean;
}

/** A pre-chat item a plugin adds (PRECHAT-CRMFIELDS-6, e.g. a CRM custom field), after the standard items. */
export interface PrechatExtraField {
  /** Letters, digits and `_`, starting with a letter; not one of the standard keys. */
  key: string;
  /** Per visitor language, e.g. `{ 'zh-CN': '订单', en: 'Order' }`; 1–20 characters. */
  label: Record<string, string>;
  /** text ≤ 200, longtext ≤ 2000, number, date (YYYY-MM-DD), choice (one of `options`). */
  type: 'text' | 'longtext' | 'number' | 'date' | 'choice';
  required: boolean;
  options?: string[];
}

/**
 * What `widget.config` carries for a company (PRECHAT-CRMFIELDS-6): plugins add at most 5 pre-chat items
 * and rename standard ones (`labels`: standard key → per-language text). Core drops what breaks the rules.
 */
export interface WidgetConfigValue {
  prechatExtraFields: PrechatExtraField[];
  prechatLabels: Record<string, Record<string, string>>;
}

/** Who a visitor is in the company's app: a plugin (member-sso) sets `memberId` only for a verified member (P2-A34). */
export interface VerifiedMemberValue {
  visitorId: number;
  memberId: string | null;
}

export interface FilterHooks {
  'auth.beforeLogin': BeforeLoginValue;
  'auth.verifyChallenge': VerifyChallengeValue;
  'message.beforeSend': BeforeSendValue;
  'visitor.routing': RoutingValue;
  'visitor.verifiedMember': VerifiedMemberValue;
  'widget.config': WidgetConfigValue;
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
  'visitor.arrived': { visitorId: number; visitId: number; channel: string };
  'visitor.pageview': { visitorId: number; visitId: number; url: string; title: string | null };
  'conversation.created': { conversationId: number; visitorId: number; channel: string };
  'conversation.assigned': {
    conversationId: number;
    agentId: number;
    by: 'auto' | 'manual' | 'transfer' | 'takeover' | 'dispatch' | 'sticky';
    /** The scope the request was routed in when it reached the agent (after any overflow). */
    scope: RoutingScope;
    waitMs: number;
  };
  'conversation.accepted': { conversationId: number; agentId: number };
  'conversation.ended': { conversationId: number; endedBy: string; reason: string };
  /** EVAL-FORM-1, HISTORY-EVALUATE-8: an evaluation was saved (first time or changed); reports follow it. */
  'conversation.evaluated': { conversationId: number; agentId: number; version: number; topic: string; valid: boolean; valuable: boolean };
  /** HISTORY-DELETE-12: plugins drop their copies (daily aggregates already built stay). */
  'conversation.deleted': { conversationIds: number[] };
  'message.created': {
    conversationId: number;
    messageId: number;
    seq: number;
    channel: string;
    /** How the conversation began (visitor, proactive, …): lets subscribers skip work without a query. */
    initiator: string;
    /** The serving agent when the message was stored (null while queued). */
    agentId: number | null;
    senderKind: string;
    kind: string;
    text: string | null;
    payload: Record<string, unknown> | null;
  };
  /** `reason`: manual, or why the system changed it (no_response, …; TOOLBAR-STATUSLOG-15). */
  'agent.statusChanged': { agentId: number; status: string; reason: string };
  /** Channel plugins deliver agent messages to their platform and report back with `channels.reportDelivery`. */
  'channel.deliver': {
    channel: string;
    conversationId: number;
    visitorExternalId: string;
    messageId: number;
    kind: string;
    text: string | null;
    payload: Record<string, unknown> | null;
  };
  'plugin.disabled': { pluginId: string };
  /** PRECHAT-STORE-8: a pre-chat (or pushed) form was stored on the visitor; the CRM plugin links it to the customer. */
  'visitor.formSubmitted': {
    visitorId: number;
    conversationId: number | null;
    source: 'prechat' | 'pushed';
    fields: Record<string, string>;
    questionType: string | null;
    /** Values of the items plugins added through `widget.config` (PRECHAT-CRMFIELDS-6), by their keys. */
    extraFields: Record<string, string>;
  };
  /** LEAVESET-STORE-9: a leave-message was stored (forwarding by SMS, CRM linking, analytics). */
  'leaveMessage.created': { leaveMessageId: number; visitorId: number | null; channel: string; groupId: number | null };
  /** LEAVEMSG-STATUS-5: the first time a leave-message became replied. */
  'leaveMessage.replied': { leaveMessageId: number; by: number; channel: 'email' | 'sms' | 'manual' };
  /** LEAVEMSG-DELETE-14: plugins drop their copies. */
  'leaveMessage.deleted': { leaveMessageIds: number[] };
}

/** A filter stops the flow with a halt; `error` (if any) is what the caller gets. */
export interface Halt {
  stop: true;
  reason: string;
  error?: { status: number; code: string; message?: string; extra?: Record<string, unknown> };
}

export const isHalt = (v: unknown): v is Halt => typeof v === 'object' && v !== null && (v as Halt).stop === true;
