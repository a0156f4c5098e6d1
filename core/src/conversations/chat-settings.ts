import { z } from 'zod';

/** Company chat settings of the conversation engine, stored in companies.chat_settings (defaults per SPEC §3.4). */
// Not strict: the same JSON holds settings other features own (files, policies); each reads its keys.
export const chatSettingsSchema = z.object({
  autoAssign: z.boolean().default(true),
  mode: z.enum(['service', 'sales']).default('service'),
  defaultCap: z.number().int().min(1).max(50).default(5),
  maxQueue: z.number().int().min(0).max(500).default(50),
  /**
   * ASSIGN-STICKY-7: give a returning visitor their previous agent when that agent is eligible,
   * and wait up to `waitSeconds` for them when they are on duty but full.
   */
  sticky: z
    .object({
      enabled: z.boolean().default(false),
      lookBackDays: z.number().int().min(1).max(365).default(30),
      waitSeconds: z.number().int().min(0).max(300).default(30),
    })
    .default({ enabled: false, lookBackDays: 30, waitSeconds: 30 }),
  /** ASSIGN-CONNECT-15 需要客服确认: automatic assignments are offers the agent must accept within `seconds`. */
  confirm: z.object({ enabled: z.boolean().default(false), seconds: z.number().int().min(10).max(120).default(20) }).default({ enabled: false, seconds: 20 }),
  /** ASSIGN-POSITION-9: also tell waiting visitors an estimated wait. */
  showEstimatedWait: z.boolean().default(false),
  /** VISITOR-SCOPE-4 访客列表范围: every visitor of the company, or only those of the agent's (groups') icons. */
  visitorScope: z.enum(['all', 'group']).default('all'),
});
export type ChatSettings = z.output<typeof chatSettingsSchema>;

export const readChatSettings = (raw: unknown): ChatSettings => chatSettingsSchema.parse({ ...(typeof raw === 'object' && raw ? raw : {}) });

/** The hard limit of open conversations any agent may hold, whatever the cap (ASSIGN-ELIGIBLE-2). */
export const HARD_LIMIT = 50;
