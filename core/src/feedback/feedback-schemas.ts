import { z } from 'zod';

export const feedbackType = z.enum(['problem', 'suggestion', 'other']);
export const feedbackState = z.enum(['submitted', 'in_progress', 'replied', 'closed']);
const content = z.string().trim().min(1).max(5000);

/** What the console attaches when 附带诊断信息 is ticked: never chat content (FEEDBACK-SUBMIT-1). */
export const diagnostics = z.strictObject({
  version: z.string().max(50).optional(),
  browser: z.string().max(300).optional(),
  screen: z.string().max(50).optional(),
  language: z.string().max(20).optional(),
  page: z.string().max(500).optional(),
  errors: z.array(z.string().max(1000)).max(20).optional(),
});

export const submitBody = z.strictObject({
  type: feedbackType,
  title: z.string().trim().min(1).max(100),
  content,
  contact: z.string().trim().max(100).nullable().optional(),
  diagnostics: diagnostics.nullable().optional(),
});
export const messageBody = z.strictObject({ content });
export const stateBody = z.strictObject({ state: feedbackState });

export const feedbackSummary = z.object({
  id: z.number(),
  companyId: z.number(),
  type: feedbackType,
  title: z.string(),
  state: feedbackState,
  submitter: z.object({ id: z.number(), agentId: z.string(), nickname: z.string() }),
  unreadReplies: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const feedbackMessage = z.object({
  id: z.number(),
  author: z.enum(['submitter', 'operator', 'admin']),
  authorName: z.string().nullable(),
  content: z.string(),
  createdAt: z.string(),
});
export const feedbackDetail = feedbackSummary.extend({
  contact: z.string().nullable(),
  diagnostics: diagnostics.nullable(),
  closedAt: z.string().nullable(),
  messages: z.array(feedbackMessage),
});

const day = z.iso.date().optional();
export const operatorListQuery = z.strictObject({
  company: z.coerce.number().int().min(10000).max(999999999).optional(),
  type: feedbackType.optional(),
  state: feedbackState.optional(),
  from: day,
  to: day,
  format: z.enum(['json', 'csv']).default('json'),
});
