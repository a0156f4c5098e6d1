import { z } from 'zod';

/** Lengths count Unicode characters after trimming (SPEC shared conventions, Text). */
const chars = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .refine((s) => [...s].length <= max, { message: `At most ${max} characters`, params: { code: 'too_big' } });

const pk = z.number().int().positive();

/** NOTICE-RECIPIENTS-2: everyone, 1–50 groups, 1–500 agents; groups and agents combine. */
export const noticeRecipients = z.strictObject({
  everyone: z.boolean().default(false),
  groupIds: z.array(pk).max(50).default([]),
  agentIds: z.array(pk).max(500).default([]),
});

/** NOTICE-COMPOSE-1; the window (start now by default, end start + 7 days) is checked by the service against its clock. */
export const noticeBody = noticeRecipients.extend({
  title: chars(50),
  content: chars(2000),
  important: z.boolean().default(false),
  startsAt: z.iso.datetime({ offset: true }).optional(),
  endsAt: z.iso.datetime({ offset: true }).optional(),
});
export type NoticeInput = z.output<typeof noticeBody>;
export type NoticeRecipients = z.output<typeof noticeRecipients>;

export const listNoticesQuery = z.strictObject({
  /** `active`: inside their window now; `recent`: started, ended at most 90 days ago (NOTICE-LIST-6). */
  scope: z.enum(['active', 'recent']).default('active'),
});

export const receiptsQuery = z.strictObject({ state: z.enum(['read', 'unread']).optional() });

/** What a recipient sees: the pop-up box, the panel and the list (NOTICE-DELIVER-3). */
export const noticeView = z.object({
  id: z.number(),
  title: z.string(),
  content: z.string(),
  important: z.boolean(),
  publisherId: z.number(),
  publisherNickname: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
});
export type NoticeView = z.infer<typeof noticeView>;

export const myNoticeView = noticeView.extend({ readAt: z.string().nullable() });

/** What the publisher and admins see (NOTICE-MANAGE-7). */
export const managedNoticeView = noticeView.extend({
  everyone: z.boolean(),
  groupIds: z.array(z.number()),
  agentIds: z.array(z.number()),
  state: z.enum(['scheduled', 'active', 'ended', 'withdrawn']),
  deliveredAt: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  createdAt: z.string(),
  recipientCount: z.number(),
});
export type ManagedNoticeView = z.infer<typeof managedNoticeView>;

export const receiptsView = z.object({
  read: z.number(),
  unread: z.number(),
  recipients: z.array(z.object({ agentId: z.number(), agentLogin: z.string(), name: z.string(), nickname: z.string(), readAt: z.string().nullable() })),
});
