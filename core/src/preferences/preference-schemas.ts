import { z } from 'zod';
import { MESSAGE_COLOR_CODES, type MessageColor } from '../protocol/message-palette.ts';

/** Visitor-list columns of DISPLAY-COLDEFS-6, in their default order. */
export const VISITOR_COLUMNS = [
  'status',
  'visitorId',
  'name',
  'channel',
  'callback',
  'visits',
  'ip',
  'region',
  'source',
  'declined',
  'enteredAt',
  'waiting',
  'lastMessageAt',
  'leftAt',
  'agent',
  'language',
  'os',
  'browser',
  'device',
  'currentPage',
  'referrer',
  'group',
  'pageCount',
  'member',
] as const;
/** Hidden by default: 电话回拨, IP, 拒绝次数 and every column after 系统 (DISPLAY-COLUMNS-5). */
const HIDDEN_COLUMNS = ['callback', 'ip', 'declined', 'browser', 'device', 'currentPage', 'referrer', 'group', 'pageCount', 'member'];

export const QUEUE_GROUPS = ['waiting', 'mine', 'others', 'robot', 'invited', 'browsing', 'left'] as const;
export const NOTIFY_EVENTS = ['arrive', 'request', 'connected', 'message', 'leave', 'transfer', 'internal', 'notice'] as const;
export const SOUNDS = ['chime', 'bell', 'ding', 'pop', 'knock', 'marimba', 'none'] as const;

/** Default combinations of OTHERSET-SHORTCUTS-7 and -SWITCH-6; no two collide (P3-A60). */
export const DEFAULT_SHORTCUTS = {
  nextConversation: 'Alt+Z',
  previousConversation: 'Alt+X',
  acceptNext: 'Alt+A',
  endConversation: 'Alt+E',
  transfer: 'Alt+T',
  focusInput: 'Alt+I',
  cannedSearch: 'Alt+Q',
  openSettings: 'Alt+S',
  waitingList: 'Alt+W',
  unreadList: 'Alt+U',
  pendingEvaluation: 'Alt+J',
  respondTransfer: 'Alt+R',
  inviteVisitor: 'Alt+V',
  proactiveChat: 'Alt+P',
  evaluate: 'Alt+G',
  monitor: 'Alt+M',
  stopMonitor: 'Alt+N',
} as const;
type ShortcutAction = keyof typeof DEFAULT_SHORTCUTS;

const way = z.strictObject({ popup: z.boolean(), sound: z.boolean(), blink: z.boolean(), badge: z.boolean() });
const w = (popup: boolean, sound: boolean, blink: boolean, badge = blink) => ({ popup, sound, blink, badge });

export const DEFAULT_PREFERENCES = {
  display: {
    toolbar: true,
    statusBar: true,
    columns: VISITOR_COLUMNS.map((key) => ({ key, shown: !HIDDEN_COLUMNS.includes(key) })),
    columnWidths: {} as Record<string, number>,
    groupByStatus: true,
    queueOrder: [...QUEUE_GROUPS],
    visitorMode: 'all' as 'all' | 'waiting' | 'chatting' | 'mine' | 'browsing',
    hideLeft: false,
    sort: null as { column: string; direction: 'asc' | 'desc' } | null,
  },
  chat: {
    sendKey: 'enter' as 'enter' | 'ctrlEnter',
    switchAfterSend: false,
    liveViewOnConnect: true,
    noEvaluationPrompt: false,
    /** 字体设置 (CONV-FONT-13): the chat pane's text size for the agent's own view, and the colour and bold of the agent's messages. */
    fontSize: 14,
    fontColor: null as MessageColor | null,
    fontBold: false,
    /** 表情 (CONV-EMOJI-20): the 24 emoji the agent used last, newest first. */
    recentEmoji: [] as string[],
  },
  status: { afterLogin: 'online' as 'online' | 'busy' | 'away' | 'invisible', idleAway: true, idleMinutes: 10, idleRestore: true },
  sound: {
    muteAll: false,
    muteWhenBusy: false,
    volume: 70,
    events: Object.fromEntries(NOTIFY_EVENTS.map((e) => [e, e === 'arrive' || e === 'leave' ? 'none' : 'chime'])) as Record<string, string>,
  },
  notify: {
    arrive: w(false, false, false),
    request: w(true, true, true),
    connected: w(true, true, true),
    message: w(false, true, true),
    leave: w(false, false, false),
    transfer: w(true, true, true),
    internal: w(true, true, false),
    notice: w(true, true, false),
  } as Record<string, z.infer<typeof way>>,
  shortcuts: { ...DEFAULT_SHORTCUTS } as Record<ShortcutAction, string>,
  general: { language: null as null | 'zh-CN' | 'zh-TW' | 'en' | 'ja' | 'ko', theme: 'system' as 'system' | 'light' | 'dark', multiAccount: true },
  /** The side panel (WORKBENCH-PANEL-1): tab keys in the agent's order (tabs not named follow in the default order), hidden ones, width, open tab. */
  panel: { order: [] as string[], hidden: [] as string[], width: null as number | null, open: 'visitor' },
};
export type Preferences = typeof DEFAULT_PREFERENCES;
export type Section = keyof Preferences;

const combo = z
  .string()
  .trim()
  .regex(/^((ctrl|alt|shift|meta)\+)*([a-z0-9]|f\d{1,2}|tab)$/i, 'A combination like Alt+Z');

/** A core tab (`visitor`, `trail`, …) or a plugin's `<pluginId>:<tabId>`. */
const panelTab = z.string().regex(/^[a-z][a-z0-9-]{0,39}(:[A-Za-z0-9_-]{1,40})?$/, 'A side-panel tab key');

const sections = {
  display: z.strictObject({
    toolbar: z.boolean(),
    statusBar: z.boolean(),
    columns: z
      .array(z.strictObject({ key: z.enum(VISITOR_COLUMNS), shown: z.boolean() }))
      .refine((cols) => new Set(cols.map((c) => c.key)).size === cols.length && cols.length === VISITOR_COLUMNS.length, 'List every column once'),
    columnWidths: z.partialRecord(z.enum(VISITOR_COLUMNS), z.number().int().min(40).max(800)),
    groupByStatus: z.boolean(),
    queueOrder: z
      .array(z.enum(QUEUE_GROUPS))
      .refine((g) => new Set(g).size === QUEUE_GROUPS.length && g.length === QUEUE_GROUPS.length, 'List every group once'),
    visitorMode: z.enum(['all', 'waiting', 'chatting', 'mine', 'browsing']),
    hideLeft: z.boolean(),
    sort: z.strictObject({ column: z.enum(VISITOR_COLUMNS), direction: z.enum(['asc', 'desc']) }).nullable(),
  }),
  chat: z.strictObject({
    sendKey: z.enum(['enter', 'ctrlEnter']),
    switchAfterSend: z.boolean(),
    liveViewOnConnect: z.boolean(),
    noEvaluationPrompt: z.boolean(),
    fontSize: z.number().int().min(12).max(20),
    fontColor: z.enum(MESSAGE_COLOR_CODES as [MessageColor, ...MessageColor[]]).nullable(),
    fontBold: z.boolean(),
    recentEmoji: z.array(z.string().min(1).max(32)).max(24),
  }),
  status: z.strictObject({
    afterLogin: z.enum(['online', 'busy', 'away', 'invisible']),
    idleAway: z.boolean(),
    idleMinutes: z.number().int().min(1).max(120),
    idleRestore: z.boolean(),
  }),
  sound: z.strictObject({
    muteAll: z.boolean(),
    muteWhenBusy: z.boolean(),
    volume: z.number().int().min(0).max(100),
    events: z.partialRecord(z.enum(NOTIFY_EVENTS), z.enum(SOUNDS)),
  }),
  notify: z.partialRecord(z.enum(NOTIFY_EVENTS), way),
  shortcuts: z.partialRecord(z.enum(Object.keys(DEFAULT_SHORTCUTS) as [ShortcutAction, ...ShortcutAction[]]), combo),
  general: z.strictObject({
    language: z.enum(['zh-CN', 'zh-TW', 'en', 'ja', 'ko']).nullable(),
    theme: z.enum(['system', 'light', 'dark']),
    multiAccount: z.boolean(),
  }),
  panel: z.strictObject({
    order: z.array(panelTab).max(60),
    hidden: z.array(panelTab).max(60),
    width: z.number().int().min(220).max(800).nullable(),
    open: panelTab,
  }),
};

/** A patch names sections and, within each, only the fields it changes. */
export const preferencesPatch = z.strictObject(
  Object.fromEntries(Object.entries(sections).map(([k, s]) => [k, ('partial' in s ? (s as z.ZodObject).partial() : (s as z.ZodType)).optional()])) as {
    [K in Section]: z.ZodOptional<z.ZodType<Partial<Preferences[K]>>>;
  },
);
export const preferencesView = z.object({ preferences: z.record(z.string(), z.unknown()), version: z.number() });
export const resetBody = z.strictObject({ section: z.enum(Object.keys(sections) as [Section, ...Section[]]) });
