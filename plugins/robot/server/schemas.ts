import { z } from 'zod';

const text200 = z.string().trim().min(1).max(200);
export const LANGUAGES: readonly string[] = ['all', 'zh-CN', 'zh-TW', 'en', 'ja', 'ko'];
export const idParams = z.strictObject({ id: z.coerce.number().int().positive() });

export const entryBody = z.strictObject({
  question: text200,
  phrasings: z.array(text200).max(50).default([]),
  answer: z.string().trim().min(1).max(5000),
  keywords: z.array(z.string().trim().min(1).max(20)).max(20).default([]),
  categoryId: z.number().int().positive().nullable().optional(),
  language: z.enum(LANGUAGES as [string, ...string[]]).default('all'),
  enabled: z.boolean().default(true),
});
export const entryPatch = entryBody.partial();

export const entryView = z.object({
  id: z.number(),
  categoryId: z.number().nullable(),
  question: z.string(),
  phrasings: z.array(z.string()),
  answer: z.string(),
  keywords: z.array(z.string()),
  language: z.string(),
  enabled: z.boolean(),
  hitCount: z.number(),
  clickCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const listQuery = z.strictObject({
  q: z.string().max(200).optional(),
  categoryId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const similarQuery = z.strictObject({ q: z.string().trim().min(1).max(2000), excludeId: z.coerce.number().int().positive().optional() });
export const similarBody = z.strictObject({ texts: z.array(z.string().max(200)).min(1).max(51), excludeId: z.number().int().positive().optional() });
export const similarView = z.object({
  similar: z.array(z.object({ id: z.number(), question: z.string(), categoryId: z.number().nullable(), answerPreview: z.string(), confidence: z.number() })),
});

export const categoryBody = z.strictObject({
  name: z.string().trim().min(1).max(30),
  parentId: z.number().int().positive().nullable().optional(),
  sort: z.number().int().optional(),
});
export const categoryDeleteQuery = z.strictObject({ moveTo: z.coerce.number().int().positive().optional() });
export const unmatchedPhrasingBody = z.strictObject({ entryId: z.number().int().positive() });
export const synonymsBody = z.strictObject({ groups: z.array(z.array(z.string().trim().min(1).max(20)).min(2).max(20)).max(1000) });

const perLang = z.record(z.string(), z.string().trim().min(1).max(300));
export const settingsBody = z.strictObject({
  mode: z.enum(['off', 'when_no_agent', 'first']).optional(),
  directThreshold: z.number().min(0.5).max(1).optional(),
  listThreshold: z.number().min(0.2).max(1).optional(),
  handoverKeywords: z.array(z.string().trim().min(1).max(20)).max(30).optional(),
  texts: z.record(z.enum(['name', 'welcome', 'fallback', 'handover', 'noAgent', 'didYouMean', 'talkToPerson']), perLang).optional(),
});

// A question may be long but not huge: matching reads the first 2,000 characters at most.
export const askBody = z.strictObject({ text: z.string().trim().min(1).max(2000), language: z.string().max(10).nullable().optional() });
export const searchQuery = z.strictObject({ q: z.string().trim().min(1).max(2000), categoryId: z.coerce.number().int().positive().optional() });

export const exportQuery = z.strictObject({ format: z.enum(['csv', 'xlsx']).default('xlsx') });
export const importBody = z.strictObject({
  format: z.enum(['csv', 'xlsx']),
  /** The file, base64-encoded (≤ 10 MB). */
  data: z.string().max(14_000_000),
  mode: z.enum(['add', 'update']).default('add'),
});
