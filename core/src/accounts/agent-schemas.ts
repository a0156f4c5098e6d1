import { z } from 'zod';

const agentIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));

export const agentFields = {
  name: z.string().trim().min(1).max(50),
  nickname: z.string().trim().min(1).max(20).optional(),
  email: optionalText(254).pipe(z.email().nullable()),
  phone: optionalText(30),
  role: z.enum(['admin', 'agent']),
  permissions: z.array(z.string().max(64)).max(200),
  groupIds: z.array(z.number().int().positive()).max(20),
  maxChats: z.number().int().min(1).max(50).nullable(),
  language: z.enum(['zh-CN', 'zh-TW', 'en', 'ja', 'ko']).nullable(),
  note: optionalText(200),
};

export const createAgentBody = z.strictObject({
  agentId: z.string().trim().regex(agentIdPattern, 'Letters, digits, _ - . (1–32), starting with a letter or digit'),
  password: z.string().min(1).max(128).optional().describe('Omit to generate one (returned once)'),
  mustChangePassword: z.boolean().optional(),
  ...agentFields,
  role: agentFields.role.default('agent'),
  permissions: agentFields.permissions.optional(),
  templateId: z.number().int().positive().optional().describe('Start from this permission template instead of the default (ignored with permissions)'),
  groupIds: agentFields.groupIds.default([]),
  maxChats: agentFields.maxChats.default(null),
  language: agentFields.language.default(null),
});

export const updateAgentBody = z.strictObject({
  version: z.number().int(),
  // Named rather than unknown, so the answer says the ID is fixed (AGENT-EDIT-5: field_read_only).
  agentId: z
    .unknown()
    .refine(() => false, { message: 'The agent ID cannot change', params: { code: 'field_read_only' } })
    .optional()
    .describe('Read-only: sending it answers validation_failed with field_read_only'),
  name: agentFields.name.optional(),
  nickname: agentFields.nickname,
  email: agentFields.email.optional(),
  phone: agentFields.phone.optional(),
  role: agentFields.role.optional(),
  permissions: agentFields.permissions.optional(),
  groupIds: agentFields.groupIds.optional(),
  maxChats: agentFields.maxChats.optional(),
  language: agentFields.language.optional(),
  note: agentFields.note.optional(),
});

export const listAgentsQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce
    .number()
    .int()
    .refine((n) => [20, 50, 100].includes(n), 'One of 20, 50, 100')
    .default(20),
  q: z.string().trim().max(50).optional(),
  status: z.enum(['enabled', 'disabled']).optional(),
  role: z.enum(['admin', 'agent']).optional(),
});

export const idParams = z.strictObject({ id: z.coerce.number().int().positive() });

export const agentRow = z.object({
  id: z.number(),
  agentId: z.string(),
  name: z.string(),
  nickname: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  role: z.enum(['admin', 'agent']),
  isPrimary: z.boolean(),
  permissions: z.array(z.string()),
  groups: z.array(z.object({ id: z.number(), name: z.string() })),
  maxChats: z.number().nullable(),
  language: z.string().nullable(),
  note: z.string().nullable(),
  disabled: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number(),
});
export type AgentRow = z.infer<typeof agentRow>;

export const passwordBody = z.strictObject({ password: z.string().min(1).max(128).optional() });
// In the query string: a DELETE body has no defined meaning (RFC 9110) and the body parser skips it.
export const deleteAgentQuery = z.strictObject({ confirmAgentId: z.string().trim().min(1).max(32) });

const pk = z.number().int().positive();
/** AGENT-BULK-19: one action on up to 200 agents; the answer has each agent's result. */
export const bulkAgentsBody = z.strictObject({
  agentIds: z.array(pk).min(1).max(200),
  action: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('addGroups'), groupIds: z.array(pk).min(1).max(20) }),
    z.strictObject({ kind: z.literal('removeGroups'), groupIds: z.array(pk).min(1).max(20) }),
    z.strictObject({ kind: z.literal('setMaxChats'), maxChats: agentFields.maxChats }),
    z.strictObject({ kind: z.literal('applyTemplate'), templateId: pk }),
    z.strictObject({ kind: z.literal('disable') }),
    z.strictObject({ kind: z.literal('enable') }),
  ]),
});
export const bulkResultsView = z.object({
  results: z.array(z.object({ id: z.number(), result: z.string().describe('ok, unchanged, or the error code this agent alone would get') })),
  changed: z.number(),
});
