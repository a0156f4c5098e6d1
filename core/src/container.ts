import 'reflect-metadata';
import { container as globalContainer, type DependencyContainer } from './infra/di.ts';
import type { KefuConfig } from '@kefu/config';
import { AgentService } from './accounts/agent-service.ts';
import { AuditService } from './accounts/audit-service.ts';
import { CompanyService } from './accounts/company-service.ts';
import { GroupService } from './accounts/group-service.ts';
import { PasswordHasher } from './accounts/password-hasher.ts';
import { PermissionCatalog } from './accounts/permission-catalog.ts';
import { ProfileService } from './accounts/profile-service.ts';
import { Authenticator } from './auth/authenticator.ts';
import { LoginIpService } from './auth/login-ip-service.ts';
import { LoginLogService } from './auth/login-log-service.ts';
import { LoginRateLimit } from './auth/login-rate-limit.ts';
import { LoginService } from './auth/login-service.ts';
import { MeService } from './auth/me-service.ts';
import { SessionService } from './auth/session-service.ts';
import { SessionPresence } from './auth/session-presence.ts';
import { HookRegistry } from './hooks/hook-registry.ts';
import type { Bus } from './infra/bus.ts';
import type { Db } from './infra/db.ts';
import type { Logger } from './infra/logger.ts';
import { CronSupervisor } from './plugins/cron-supervisor.ts';
import { PluginEnablement } from './plugins/plugin-enablement.ts';
import { PluginHost } from './plugins/plugin-host.ts';
import { SocketDispatcher } from './plugins/socket-dispatcher.ts';
import { TOKENS, type Clock } from './tokens.ts';
import { AssignmentService } from './conversations/assignment-service.ts';
import { ConversationQueries } from './conversations/conversation-queries.ts';
import { ConversationService } from './conversations/conversation-service.ts';
import { MessageStore } from './conversations/message-store.ts';
import { RoutingService } from './conversations/routing-service.ts';
import { RoutingRuleService } from './conversations/routing-rules.ts';
import { PresenceService } from './presence/presence-service.ts';
import { RealtimeNotifier } from './realtime/realtime-notifier.ts';
import { LiveVisitors } from './visitors/live-visitors.ts';
import { VisitorService } from './visitors/visitor-service.ts';
import { VisitorScope } from './visitors/visitor-scope.ts';
import { LiveView } from './conversations/live-view.ts';
import { ChannelService } from './channels/channel-service.ts';
import { EvaluationService } from './conversations/evaluation-service.ts';
import { QueueBroadcaster } from './conversations/queue-broadcaster.ts';
import { BlockService } from './blocking/block-service.ts';
import { PageViewRecorder } from './visitors/page-view-recorder.ts';
import { HandoverService } from './conversations/handover-service.ts';
import { InvitationService } from './conversations/invitation-service.ts';
import { AutoInvite } from './conversations/auto-invite.ts';
import { MonitorService } from './conversations/monitor-service.ts';
import { TransferService } from './conversations/transfer-service.ts';
import { SegmentService } from './conversations/segment-service.ts';
import { InternalChatService } from './internal/internal-chat-service.ts';
import { NoticeService } from './notices/notice-service.ts';
import { settingsServices } from './settings/index.ts';
import { leaveMessageServices } from './leavemsg/index.ts';
import { policyServices } from './policies/index.ts';
import { historyServices } from './history/index.ts';
import { exportServices } from './exports/index.ts';
import { iconServices } from './icons/index.ts';
import { regionServices } from './region/index.ts';
import { avatarServices } from './avatars/index.ts';
import { mobileServices } from './mobile/index.ts';
import { agentToolServices } from './agent-tools/index.ts';
import { WorkbenchSettingsService } from './auth/workbench-settings.ts';

/**
 * One child container per server instance (tests run several in one process):
 * every core service is a singleton inside it, never in the global container.
 */
export function buildContainer(v: { config: KefuConfig; log: Logger; db: Db; appendDb: Db; bus: Bus; clock: Clock }): DependencyContainer {
  const c = globalContainer.createChildContainer();
  c.register(TOKENS.Config, { useValue: v.config });
  c.register(TOKENS.Logger, { useValue: v.log });
  c.register(TOKENS.Db, { useValue: v.db });
  c.register(TOKENS.AppendDb, { useValue: v.appendDb });
  c.register(TOKENS.Bus, { useValue: v.bus });
  c.register(TOKENS.Clock, { useValue: v.clock });
  for (const cls of [
    PasswordHasher,
    AuditService,
    CompanyService,
    GroupService,
    PermissionCatalog,
    AgentService,
    ProfileService,
    SessionService,
    SessionPresence,
    LoginLogService,
    LoginRateLimit,
    LoginIpService,
    WorkbenchSettingsService,
    LoginService,
    MeService,
    Authenticator,
    PluginEnablement,
    PluginHost,
    CronSupervisor,
    SocketDispatcher,
    RealtimeNotifier,
    PresenceService,
    VisitorService,
    VisitorScope,
    LiveVisitors,
    MessageStore,
    ConversationQueries,
    RoutingService,
    RoutingRuleService,
    AssignmentService,
    ConversationService,
    LiveView,
    ChannelService,
    EvaluationService,
    QueueBroadcaster,
    BlockService,
    PageViewRecorder,
    InternalChatService,
    NoticeService,
    MonitorService,
    HandoverService,
    TransferService,
    SegmentService,
    InvitationService,
    AutoInvite,
    ...settingsServices,
    ...leaveMessageServices,
    ...policyServices,
    ...historyServices,
    ...exportServices,
    ...agentToolServices,
    ...regionServices,
    ...iconServices,
    ...avatarServices,
    ...mobileServices,
  ] as const)
    c.registerSingleton(cls as never);
  const enablement = c.resolve(PluginEnablement);
  c.register(HookRegistry, {
    useValue: new HookRegistry(
      v.log,
      (owner, companyId) => enablement.isEnabledCached(companyId, owner),
      (companyId) => enablement.load(companyId),
    ),
  });
  const dispatcher = c.resolve(SocketDispatcher);
  dispatcher.isEnabled = (companyId, pluginId) => enablement.isEnabled(companyId, pluginId);
  dispatcher.log = v.log;
  return c;
}
