import { z } from 'zod';
import { LANGS, type Lang } from '../settings/widget-defaults.ts';
import { FILE_GROUPS } from '../files/file-groups.ts';

/** Company chat settings of the conversation engine, stored in companies.chat_settings (defaults per SPEC §3.4). */
// Not strict: the same JSON holds settings other features own (files, policies); each reads its keys.
export const chatSettingsSchema = z.object({
  autoAssign: z.boolean().default(true),
  mode: z.enum(['service', 'sales']).default('service'),
  defaultCap: z.number().int().min(1).max(50).default(5),
  /** ASSIGN-OVERFLOW-10 最大排队人数: waiting requests per scope; beyond, the leave-message form with `queueFullText`. 0 = never queue. */
  maxQueue: z.number().int().min(0).max(500).default(50),
  /** The text shown above that form, per language; only what the company entered (QUEUE_FULL_TEXT fills the rest). */
  queueFullText: z
    .strictObject(Object.fromEntries(LANGS.map((l) => [l, z.string().trim().min(1).max(200).optional()])) as Record<Lang, z.ZodOptional<z.ZodString>>)
    .default({}),
  /** ASSIGN-OVERFLOW-10 最长等待时间 in seconds, then 继续等待 once or the leave-message form; 0 = unlimited. */
  maxWaitSeconds: z.number().int().min(0).max(3600).default(600),
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
  /** CONV-LIVEVIEW-21 允许实时查看: agents may see the visitor's unsent input; off, only a typing signal. */
  liveView: z.boolean().default(true),
  /** CONV-TRANSFER-30 传送响应时间: an unanswered transfer is rejected with `timeout` after this many seconds. */
  transferTimeoutSeconds: z.number().int().min(15).max(300).default(60),
  /** CONV-FILE-14 文件传输: the largest file in MB (images stay at most 10 MB) and the allowed type groups. */
  maxFileMb: z.number().int().min(1).max(100).default(20),
  fileGroups: z
    .array(z.enum(FILE_GROUPS))
    .max(FILE_GROUPS.length)
    .refine((a) => new Set(a).size === a.length, 'Each group once')
    .default([...FILE_GROUPS]),
  /** CONV-FILE-16 自动接收访客文件: visitors' non-image files skip the agent's 接收 step. */
  autoAcceptVisitorFiles: z.boolean().default(false),
  /** CONV-MONITOR-35 告知被监控客服: monitored agents see an eye icon with their monitors' names (INTERNAL-MONITOR-11 too). */
  monitorNotice: z.boolean().default(false),
});
export type ChatSettings = z.output<typeof chatSettingsSchema>;

export const readChatSettings = (raw: unknown): ChatSettings => chatSettingsSchema.parse({ ...(typeof raw === 'object' && raw ? raw : {}) });

/** ASSIGN-OVERFLOW-10: the built-in text of a full queue. */
export const QUEUE_FULL_TEXT: Record<Lang, string> = {
  'zh-CN': '当前咨询人数较多,请您留言,我们会尽快回复。',
  'zh-TW': '目前諮詢人數較多,請您留言,我們會盡快回覆。',
  en: "We're very busy right now. Please leave a message and we'll get back to you soon.",
  ja: 'ただいま大変混み合っております。メッセージを残していただければ、折り返しご連絡いたします。',
  ko: '현재 문의가 많습니다. 메시지를 남겨 주시면 빠르게 답변드리겠습니다.',
};

/** The hard limit of open conversations any agent may hold, whatever the cap (ASSIGN-ELIGIBLE-2). */
export const HARD_LIMIT = 50;
