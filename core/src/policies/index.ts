import { AntiSpam } from './anti-spam.ts';
import { AutoProactive } from './auto-proactive.ts';
import { AutoReply } from './auto-reply.ts';
import { AutoReplySettingsService } from './auto-reply-settings.ts';
import { ConversationHold } from './conversation-hold.ts';
import { FloodLimit } from './flood-limit.ts';
import { MessagePush } from './message-push.ts';
import { PolicyMessages } from './policy-messages.ts';
import { PolicySettingsService } from './policy-settings-service.ts';
import { PolicyState } from './policy-state.ts';
import { PushOutbox } from './push-outbox.ts';
import { VerificationChallenges } from './verification-challenges.ts';
import { VisitorTimeout } from './visitor-timeout.ts';

/** Singletons of this folder, registered in container.ts. */
export const policyServices = [
  PolicySettingsService,
  PolicyState,
  PolicyMessages,
  VisitorTimeout,
  ConversationHold,
  VerificationChallenges,
  AntiSpam,
  FloodLimit,
  PushOutbox,
  MessagePush,
  AutoReplySettingsService,
  AutoReply,
  AutoProactive,
] as const;
