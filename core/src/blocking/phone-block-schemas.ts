import { z } from 'zod';

/** The phone blacklist's HTTP shapes (DISPLAY-PHONEBLOCK-16), shared with the console. */
export const MAX_PHONE_BLOCKS = 5000;

const note = z.string().trim().max(100).nullable().optional();
const endsAt = z.coerce.date().nullable().optional();
export const phoneBlockBody = z.strictObject({ number: z.string().trim().min(1).max(40), note, endsAt });
/** One number per line, optionally followed by a comma or tab and that line's note; `note` is for lines without one. */
export const phoneBlockBulkBody = z.strictObject({ text: z.string().max(MAX_PHONE_BLOCKS * 150), note, endsAt });
export const phoneBlockQuery = z.strictObject({
  q: z.string().trim().max(40).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const phoneBlockView = z.object({
  id: z.number(),
  number: z.string(),
  note: z.string().nullable(),
  createdBy: z.object({ id: z.number(), nickname: z.string() }).nullable(),
  createdAt: z.string(),
  endsAt: z.string().nullable(),
  hits: z.number(),
  lastHitAt: z.string().nullable(),
});
export const bulkResult = z.object({
  added: z.number(),
  /** Lines counted from 1; `invalid_phone`, `duplicate_entry` (listed already or earlier in the text), `phone_block_limit`. */
  errors: z.array(z.object({ line: z.number(), value: z.string(), code: z.string() })),
});
