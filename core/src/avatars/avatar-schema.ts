import { z } from 'zod';

/** An uploaded image's key (avatar-store.ts); the service checks it belongs to the company. */
export const avatarKey = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'An uploaded avatar key');

/**
 * 窗口头像设置 (AVATAR-SWITCH-1), a `service_sections` document: each choice
 * of 自定义 custom names the uploaded image it uses.
 */
export const avatarSettingsSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    agent: z.strictObject({ source: z.enum(['console', 'custom']).default('console'), image: avatarKey.nullable().default(null) }).prefault({}),
    visitor: z.strictObject({ source: z.enum(['builtin', 'custom']).default('builtin'), image: avatarKey.nullable().default(null) }).prefault({}),
    robot: z.strictObject({ source: z.enum(['builtin', 'custom']).default('builtin'), image: avatarKey.nullable().default(null) }).prefault({}),
  })
  .superRefine((s, ctx) => {
    for (const who of ['agent', 'visitor', 'robot'] as const)
      if (s[who].source === 'custom' && !s[who].image)
        ctx.addIssue({ code: 'custom', path: [who, 'image'], message: 'Upload the custom avatar first', params: { code: 'required' } });
  });
export type AvatarSettings = z.output<typeof avatarSettingsSchema>;
