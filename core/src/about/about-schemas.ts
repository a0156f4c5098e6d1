import { z } from 'zod';

const liveNode = z.object({ version: z.string(), commit: z.string().nullable(), startedAt: z.string() });

/** 关于 (SPEC MENU-ABOUT-5). `system` is for admins only; other agents get null. */
export const aboutView = z.object({
  product: z.string(),
  version: z.string(),
  commit: z.string().nullable(),
  licence: z.object({ name: z.string(), url: z.string() }),
  plugins: z.array(z.object({ id: z.string(), name: z.record(z.string(), z.string()), version: z.string() })),
  system: z
    .object({
      database: z.enum(['postgresql', 'embedded']),
      nodes: z.array(liveNode),
      /** Nodes run different versions or commits, as during a rolling restart. */
      mixedVersions: z.boolean(),
    })
    .nullable(),
});

/** 联系支持 (SPEC MENU-CONTACT-3): what the operator configured; null sends the console to the help's support page. */
export const supportContactView = z.object({
  contact: z
    .object({
      url: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
    })
    .nullable(),
});
