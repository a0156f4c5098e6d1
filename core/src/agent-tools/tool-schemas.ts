import { z } from 'zod';
import { clientId } from '../protocol/message-schemas.ts';
import { SCOPES } from './tool-kinds.ts';

/** Lengths count Unicode characters after trimming (SPEC shared conventions, Text). */
const chars = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .refine((s) => [...s].length <= max, { message: `At most ${max} characters`, params: { code: 'too_big' } });
/** Optional text: empty after trimming counts as not set. */
const optional = (max: number) =>
  chars(0, max)
    .nullish()
    .transform((v) => v || null);

const pk = z.number().int().positive();
const scope = z.enum(SCOPES);
const queryId = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, 'Expected a positive whole number')
  .transform(Number);

export const scopeQuery = z.strictObject({ scope });
export const groupBody = z.strictObject({ scope, name: chars(1, 20) });
export const renameBody = z.strictObject({ name: chars(1, 20) });
export const orderBody = z.strictObject({ scope, ids: z.array(pk).min(1).max(2000) });
export const itemOrderBody = orderBody.extend({ groupId: pk });

export const listQuery = z.strictObject({
  scope,
  groupId: queryId.optional(),
  q: z.string().trim().max(100).optional(),
  page: z
    .string()
    .regex(/^[1-9]\d{0,5}$/)
    .transform(Number)
    .default(1),
  pageSize: z.enum(['20', '50', '100']).default('20').transform(Number),
});
export type ListQuery = z.output<typeof listQuery>;

/** `/` + 1–20 letters or digits; the slash is optional on input and not stored (CHATSET-CANNED-7). */
const shortcut = z
  .string()
  .trim()
  .transform((s) => s.replace(/^\//, ''))
  .refine((s) => s === '' || /^[\p{L}\p{N}]{1,20}$/u.test(s), { message: '1–20 letters or digits after "/"', params: { code: 'invalid_shortcut' } })
  .transform((s) => s || null)
  .nullish();

const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .refine(
    (s) => {
      try {
        return ['http:', 'https:'].includes(new URL(s).protocol);
      } catch {
        return false;
      }
    },
    { message: 'An http or https address', params: { code: 'invalid_url' } },
  );

export const cannedFields = { title: optional(30), content: chars(1, 2000), shortcut };
export const linkFields = { title: chars(1, 50), url: httpUrl };
/** A file uploaded through POST /api/files without a conversation, named by its key. */
export const fileFields = { title: chars(1, 50), fileKey: z.string().max(100) };

const placement = { scope, groupId: pk.optional().describe("Default: the scope's first group") };
export const createBodies = {
  canned: z.strictObject({ ...placement, ...cannedFields }),
  link: z.strictObject({ ...placement, ...linkFields }),
  file: z.strictObject({ ...placement, ...fileFields, title: fileFields.title.optional().describe('Default: the file name') }),
};
export const patchBodies = {
  canned: z.strictObject({ groupId: pk, ...cannedFields }).partial(),
  link: z.strictObject({ groupId: pk, ...linkFields }).partial(),
  file: z.strictObject({ groupId: pk, ...fileFields }).partial(),
};

export const groupView = z.object({
  id: z.number(),
  scope,
  name: z.string(),
  builtin: z.string().nullable().describe('welcome | common | closing | general for a seeded group not renamed'),
  position: z.number(),
});

const common = { id: z.number(), scope, groupId: z.number(), position: z.number(), updatedAt: z.string() };
export const itemViews = {
  canned: z.object({ ...common, title: z.string().nullable(), content: z.string(), shortcut: z.string().nullable() }),
  link: z.object({ ...common, title: z.string(), url: z.string() }),
  file: z.object({
    ...common,
    title: z.string(),
    file: z.object({ key: z.string(), name: z.string(), size: z.number(), mime: z.string(), kind: z.enum(['image', 'file']), url: z.string() }),
  }),
};

export const sendBody = z.strictObject({ conversationId: pk, clientId: clientId.optional() });
export const suggestQuery = z.strictObject({ q: z.string().trim().max(20).default('') });

/** A canned-reply scope as one list: the editor's unit for versions, drafts, publishing and import (CHATSET-CANNEDHISTORY-9). */
export const cannedListEntry = z.strictObject({ group: chars(1, 20), ...cannedFields, shortcut: cannedFields.shortcut.transform((s) => s ?? null) });
export const cannedList = z.strictObject({
  groups: z.array(chars(1, 20)).max(50).default([]).describe('Group order; groups not named keep theirs after these'),
  entries: z.array(cannedListEntry).max(2000),
});
export type CannedListEntry = z.output<typeof cannedListEntry>;
export type CannedList = z.output<typeof cannedList>;
export const cannedListBody = cannedList.extend({ scope });
export const authorView = z.object({ id: z.number(), name: z.string() }).nullable();
export const versionView = z.object({ id: z.number(), createdAt: z.string(), author: authorView, entryCount: z.number() });
export const draftView = z.object({ draft: z.object({ savedAt: z.string(), savedBy: authorView, list: cannedList }).nullable() });
export const tableFormat = z.enum(['csv', 'xlsx']);
export const exportQuery = z.strictObject({ scope, format: tableFormat });
export const importQuery = z.strictObject({
  scope,
  format: tableFormat,
  mode: z.enum(['append', 'replace']).describe('追加 skips rows equal in group and content to an entry; 替换 saves the current list as a version first'),
});
export const importResult = z.object({
  added: z.number(),
  skipped: z.number(),
  rejected: z.array(z.object({ row: z.number(), reason: z.string(), message: z.string() })),
});
