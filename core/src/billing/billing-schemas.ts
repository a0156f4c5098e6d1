import { z } from 'zod';

const i18n = z.object({ 'zh-CN': z.string(), en: z.string() }).catchall(z.string());

export const licenceState = z.enum(['active', 'expiring', 'expired', 'not_started', 'not_activated']);

export const billingRow = z.object({
  /** `seats`, or a plugin id. */
  product: z.string(),
  name: i18n,
  /** The plugin's description, for the card of an active service (BILLING-ACTIVE-7); null for seats. */
  description: i18n.nullable(),
  /** What the quantity counts; null where the product has no quantity ("—"). */
  unit: i18n.nullable(),
  quantity: z.number().nullable(),
  /** Seats only: agent IDs not disabled. */
  used: z.number().nullable(),
  startsOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  /** Whole days from today (company time zone) to the expiry day; null without an expiry. */
  remainingDays: z.number().nullable(),
  state: licenceState,
  /** Quota products (BILLING-QUOTA-5): units left, spent this month, and the top-ups; null for other products. */
  quota: z
    .object({
      left: z.number(),
      /** BILLING-WARN-6: under 10 % of what the last top-up left, or used up. */
      level: z.enum(['ok', 'low', 'empty']),
      usedThisMonth: z.number(),
      topups: z.array(z.object({ at: z.string(), units: z.number(), actor: z.string() })),
    })
    .nullable(),
});

export const renewalContact = z.strictObject({
  name: z.string().trim().max(100).nullable().optional(),
  phone: z
    .string()
    .trim()
    .regex(/^[\d+\-() ]{0,30}$/, 'Digits, + - ( ) and spaces, at most 30')
    .nullable()
    .optional(),
  email: z.email().max(200).nullable().optional(),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .nullable()
    .optional(),
});
export type RenewalContact = z.infer<typeof renewalContact>;

export const historyEntry = z.object({
  id: z.number(),
  at: z.string(),
  product: z.string(),
  actor: z.object({ kind: z.enum(['operator', 'admin']), agentId: z.string().nullable(), name: z.string().nullable() }),
  old: z.record(z.string(), z.unknown()).nullable(),
  new: z.record(z.string(), z.unknown()).nullable(),
});

export const billingView = z.object({
  mode: z.enum(['open', 'managed']),
  today: z.string(),
  rows: z.array(billingRow),
  /** More agent IDs are enabled than seats allow (the quantity was lowered): enabling is refused until some are disabled. */
  seatsOverLimit: z.boolean(),
  contact: renewalContact.nullable(),
  history: z.array(historyEntry),
});

const day = z.iso.date().nullable().optional();
/** The operator's licence input (BILLING-OPERATOR-9); expiry before start fails naming `expiresOn`. */
export const licenceInput = z
  .strictObject({
    enabled: z.boolean().optional(),
    startsOn: day,
    expiresOn: day,
    quantity: z.number().int().min(0).nullable().optional(),
  })
  .refine((b) => !b.startsOn || !b.expiresOn || b.expiresOn >= b.startsOn, {
    path: ['expiresOn'],
    message: 'Expiry is before the start',
    params: { code: 'expiry_before_start' },
  });
export type LicenceInput = z.infer<typeof licenceInput>;

/** The operator's quota top-up (BILLING-OPERATOR-9). */
export const topupInput = z.strictObject({ units: z.number().int().min(1).max(100_000_000) });
