import type { Knex } from 'knex';
import type { DependencyContainer } from '../infra/di.ts';
import type { ZodType, z } from 'zod';
import type { KefuConfig } from '@kefu/config';
import type { Logger } from '../infra/logger.ts';
import type { ApiRouter } from '../http/api-router.ts';
import type { ActionHandler, FilterHandler, HookOptions } from '../hooks/hook-registry.ts';
import type { ActionHooks, FilterHooks } from '../hooks/hook-types.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import type { SecretBox } from '../infra/crypto.ts';
import type { PermissionDef } from '../accounts/permissions.ts';
import type { Clock } from '../tokens.ts';

export type I18nText = { 'zh-CN': string; en: string } & Partial<Record<'zh-TW' | 'ja' | 'ko', string>>;

export interface PluginManifest {
  /** Must equal `kefu.id` in the plugin's package.json. */
  id: string;
  name: I18nText;
  description: I18nText;
  /** Permissions the plugin adds to the agent editor (AGENT-PERMS-15). */
  permissions?: Omit<PermissionDef, 'plugin'>[];
  /** What a licence quantity counts (BILLING-PRODUCTS-2), if anything. */
  quantityUnit?: I18nText;
  /**
   * The product is a quota of units the plugin spends (SMS segments, call minutes: BILLING-QUOTA-5): the
   * operator tops it up, the plugin debits it through `ctx.quota`, the billing page shows what is left.
   */
  quota?: boolean;
  /**
   * The plugin checks phone numbers against the company's phone blacklist (call-back does): while it is
   * enabled the 电话回拨阻止 section and the `phone.block` permission exist (DISPLAY-PHONEBLOCK-16).
   */
  usesPhoneBlacklist?: boolean;
}

/** Who sent a socket event on the /agent namespace. */
export interface SocketCaller {
  companyId: number;
  agentId: number;
  sessionId: number;
  /** The console socket the event came on (a room of its own on every node). */
  socketId?: string;
  can(permission: string): boolean;
  /** The caller as loaded for this event (fresh permissions). */
  auth: import('../auth/auth-info.ts').AuthInfo;
}

export interface SocketEventSpec<S extends ZodType> {
  schema: S;
  permission?: string;
  handler: (payload: z.output<S>, caller: SocketCaller) => Promise<unknown> | unknown;
}

/** Everything a plugin may use: core's public plugin API. All registrations are owned by the plugin. */
export interface PluginContext {
  readonly id: string;
  readonly log: Logger;
  readonly config: KefuConfig;
  /** Raw knex for the plugin's own tables; tenant rows go through `tenant(companyId)`. */
  readonly db: Knex;
  tenant(companyId: number): Tenant;
  readonly container: DependencyContainer;
  readonly clock: Clock;
  readonly secrets: SecretBox;
  readonly hooks: {
    addFilter<K extends keyof FilterHooks>(name: K, fn: FilterHandler<FilterHooks[K]>, opts?: Omit<HookOptions, 'owner'>): () => void;
    addAction<K extends keyof ActionHooks>(name: K, fn: ActionHandler<ActionHooks[K]>, opts?: Omit<HookOptions, 'owner'>): () => void;
  };
  /** Routes mounted under /api/p/<id>/…; agent routes answer plugin_disabled for companies without the plugin. */
  readonly http: ApiRouter;
  /** Socket events named `<id>:<event>` on the /agent namespace. */
  onSocket<S extends ZodType>(event: string, spec: SocketEventSpec<S>): void;
  /** A cron job named `<id>:<name>`: no overlap, one node of many (advisory lock). */
  schedule(name: string, cronExpression: string, job: () => Promise<void>): void;
  isEnabled(companyId: number): Promise<boolean>;
  /** Companies that currently have the plugin enabled (for cron jobs). */
  enabledCompanies(): Promise<number[]>;
  /** Channel API: IM/SMS plugins bring visitors in and deliver agent messages (subscribe to `channel.deliver`). */
  readonly channels: {
    inbound(
      companyId: number,
      m: import('../channels/channel-service.ts').InboundMessage,
    ): Promise<{ conversationId: number; message: import('../protocol/message-schemas.ts').MessageView }>;
    reportDelivery(companyId: number, messageId: number, status: import('../channels/channel-service.ts').DeliveryStatus, error?: string): Promise<void>;
  };
  /**
   * Conversations a plugin takes part in (the robot): it speaks as `{kind:'plugin', pluginId, name}`,
   * may claim a queued conversation (kept from agents and assignment while claimed) and hands it over.
   */
  readonly conversations: {
    send(
      companyId: number,
      conversationId: number,
      m: { clientId: string; kind: 'text' | 'card'; text: string | null; payload?: Record<string, unknown> | null; name?: string },
    ): Promise<import('../protocol/message-schemas.ts').MessageView>;
    /** Sets `served_by_plugin` to this plugin while the conversation is queued and unclaimed; true when claimed. */
    claim(companyId: number, conversationId: number): Promise<boolean>;
    /** Ends this plugin's service (clears `served_by_plugin`) and runs assignment; true when it was serving. */
    handOver(companyId: number, conversationId: number): Promise<boolean>;
    /** Is any agent able to chat (online or busy) in the company (or group)? */
    anyoneServing(companyId: number, groupId?: number | null): Promise<boolean>;
  };
  /**
   * This plugin's quota (manifest `quota`, BILLING-QUOTA-5). `debit` spends units in one transaction and
   * answers what is left, or throws `409 quota_exhausted` having spent nothing; `refund` gives back units
   * a failed send had taken.
   */
  readonly quota: {
    debit(companyId: number, units: number, ref?: string): Promise<number>;
    refund(companyId: number, units: number, ref?: string): Promise<number>;
    left(companyId: number): Promise<number>;
  };
  /**
   * The company's phone blacklist (DISPLAY-PHONEBLOCK-16; manifest `usesPhoneBlacklist`). `check` answers whether
   * a visitor's number is listed and counts the refusal on the entry; the caller decides what to refuse.
   */
  readonly phoneBlacklist: {
    check(companyId: number, phone: string): Promise<boolean>;
  };
  /** Core account services a plugin may need. */
  readonly accounts: {
    verifyPassword(companyId: number, agentPk: number, password: string): Promise<boolean>;
    endSessions(companyId: number, agentPk: number, reason: string): Promise<number>;
    liftRestriction(sessionId: number): Promise<void>;
    audit(companyId: number, e: { actor: number | null; action: string; target?: string; old?: unknown; new?: unknown }): Promise<void>;
    loginEvent(companyId: number, e: { agentId: number; actorAgentId: number | null; summary: string; reason: string }): Promise<void>;
  };
}

export interface PluginDefinition {
  manifest: PluginManifest;
  /** DI bindings in the plugin's child container. */
  register?(ctx: PluginContext): void;
  /** First enable for a company: seed rows. */
  install?(ctx: PluginContext, companyId: number): Promise<void>;
  /** Hooks, routes, socket events, cron. */
  start(ctx: PluginContext): Promise<void> | void;
  /** Close the plugin's own clients. */
  stop?(ctx: PluginContext): Promise<void> | void;
  /** Explicit admin/operator action, before its migrations are rolled back. */
  uninstall?(ctx: PluginContext): Promise<void> | void;
}

export const definePlugin = (d: PluginDefinition): PluginDefinition => d;
