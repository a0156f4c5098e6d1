import { z } from 'zod';
import { historyRow } from '../history/history-schemas.ts';

/** The values agents may set on a visitor (WORKBENCH-VISITOREDIT-9); `mobile` is the visitor's `phone`. */
export const EDITABLE_FIELDS = ['name', 'mobile', 'landline', 'email', 'note'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

/** CRM-MODEL-VALIDATE-4: spaces and hyphens are removed before storing, then 5–15 digits with an optional leading `+`. */
const mobile = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\+?\d{5,15}$/, 'Digits with an optional leading +, 5 to 15 of them'));
/** CRM-MODEL-VALIDATE-4: digits, `+ - ( )` and spaces, with an extension after `x`, `ext` or `转`. */
const landline = z
  .string()
  .trim()
  .max(40)
  .regex(/^\+?[0-9()\s-]{3,30}((x|ext\.?|转)\s*\d{1,8})?$/i, 'Digits, + - ( ) and spaces, with an optional extension after x, ext or 转');

/** A patch names only the fields it changes; null clears one. */
export const visitorEditBody = z
  .strictObject({
    name: z.string().trim().min(1).max(50).nullable(),
    mobile: mobile.nullable(),
    landline: landline.nullable(),
    email: z.email().max(254).nullable(),
    note: z.string().trim().max(500).nullable(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Change at least one field');
export type VisitorEdit = z.output<typeof visitorEditBody>;

/** Where a value came from (WORKBENCH-VISITOR-8): 客服填写 with the agent, a form, a leave-message; null when the host page or an older version set it. */
export const valueSource = z
  .object({
    kind: z.enum(['agent', 'form', 'leaveMessage']),
    /** The agent's nickname for `agent`. */
    by: z.string().nullable(),
    at: z.string().nullable(),
  })
  .nullable();

export const visitorValue = z.object({ field: z.string(), value: z.string(), source: valueSource });

export const visitorInfoView = z.object({
  id: z.number(),
  number: z.number(),
  channel: z.string(),
  /** name, mobile, landline, email and note as set now (absent ones left out), then the other form answers. */
  values: z.array(visitorValue),
  region: z.string().nullable(),
  ip: z.string().nullable(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  device: z.string().nullable(),
  language: z.string().nullable(),
  visitCount: z.number(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  conversationCount: z.number(),
  leaveMessageCount: z.number(),
  /** The caller serves or served this visitor, or is an admin (WORKBENCH-VISITOREDIT-9). */
  canEdit: z.boolean(),
});
export type VisitorInfo = z.infer<typeof visitorInfoView>;

export const visitorChangesView = z.object({
  items: z.array(
    z.object({
      field: z.string(),
      oldValue: z.string().nullable(),
      newValue: z.string().nullable(),
      agentName: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});

/** core's visitor profile (HISTORY-VISITOR-7, LEAVEMSG-VISITOR-15): submitted information, visible conversations, visible leave-messages. */
export const visitorProfileView = z.object({
  visitor: visitorInfoView,
  conversations: z.array(historyRow),
  leaveMessages: z.array(
    z.object({
      id: z.number(),
      createdAt: z.string(),
      status: z.enum(['unreplied', 'replied']),
      subject: z.string().nullable(),
      content: z.string(),
      handlerName: z.string().nullable(),
    }),
  ),
});

/** Pushed to the consoles that see the visitor; they re-read its information through the API. */
export const visitorInfoServerEvents = {
  'visitor.infoChanged': {
    summary: 'An agent changed a visitor’s name, contacts or note (WORKBENCH-VISITOREDIT-9); open panels re-read /api/visitors/:id/info',
    payload: z.object({ visitorId: z.number() }),
  },
};
