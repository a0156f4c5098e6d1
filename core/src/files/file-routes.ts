import type { Context } from 'koa';
import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { messageView } from '../protocol/message-schemas.ts';
import { contentDisposition, FileAccess } from './file-access.ts';
import type { FileVariant } from './file-links.ts';
import { FileService } from './file-service.ts';
import type { AuthInfo } from '../auth/auth-info.ts';

const fileView = z.object({
  key: z.string(),
  name: z.string(),
  size: z.number(),
  mime: z.string(),
  kind: z.enum(['image', 'file']),
  status: z.enum(['held', 'available', 'refused']),
  conversationId: z.number().nullable(),
  width: z.number().optional(),
  height: z.number().optional(),
  url: z.string().describe('Unsigned path: agents open it with their session'),
  thumbUrl: z.string().optional(),
});
const signedLinks = z.object({ url: z.string(), thumbUrl: z.string().optional(), expiresAt: z.string() });
const uploadResponse = z.object({ file: fileView, message: messageView.nullable(), links: signedLinks.describe('Signed links valid one hour (CONV-FILE-15)') });
const keyParams = z.object({ key: z.string().max(100) });
const linkQuery = z.object({ exp: z.string().max(20).optional(), sig: z.string().max(100).optional() });
const linksBody = z.strictObject({
  companyId: z.union([z.number().int(), z.string().regex(/^\d{1,15}$/)]),
  token: z.string().max(100).optional().describe('Or the X-Visitor-Token header'),
  keys: z.array(z.string().max(100)).min(1).max(100),
});

/** An upload refused before its body was read: close the connection rather than read the rest. */
async function uploading<T>(ctx: Context, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (!ctx.req.complete) ctx.set('Connection', 'close');
    throw err;
  }
}

/** Files and images in conversations (CONV-FILE-14/15/16, CONV-IMAGE-17). */
export function registerFileRoutes(api: ApiRouter, c: DependencyContainer) {
  const files = c.resolve(FileService);
  const access = c.resolve(FileAccess);
  const tags = ['files'];

  api.route({
    method: 'post',
    path: '/api/files',
    tags,
    auth: 'agent',
    status: 201,
    summary:
      'Upload a file or image (multipart/form-data: file, conversationId?, clientId?); with a conversation it is sent as a message (CONV-FILE-14, CONV-IMAGE-17)',
    response: uploadResponse,
    handler: async ({ ctx, auth }) => {
      const sender = { kind: 'agent' as const, agentId: auth.agent.id, nickname: auth.agent.nickname, isAdmin: auth.agent.role === 'admin' };
      const r = await uploading(
        ctx,
        files.upload(ctx.req, auth.companyId, async () => ({ companyId: auth.companyId, sender })),
      );
      return { file: r.file, message: r.message, links: access.linksFor(r.file) };
    },
  });
  api.route({
    method: 'post',
    path: '/api/widget/files',
    tags,
    auth: 'public',
    status: 201,
    summary:
      "A visitor's upload (multipart/form-data: companyId, token or X-Visitor-Token, conversationId, file, clientId?); non-image files wait for an agent (CONV-FILE-16)",
    response: uploadResponse,
    handler: async ({ ctx }) => {
      const r = await uploading(
        ctx,
        files.upload(ctx.req, null, async (fields) => {
          const visitor = await access.visitor(fields.companyId, ctx.get('x-visitor-token') || fields.token);
          return { companyId: visitor.companyId, sender: { kind: 'visitor' as const, visitorId: visitor.id } };
        }),
      );
      return { file: r.file, message: r.message, links: access.linksFor(r.file) };
    },
  });
  api.route({
    method: 'post',
    path: '/api/widget/files/links',
    tags,
    auth: 'public',
    summary: "Fresh signed links (one hour) for files in the visitor's conversations (CONV-FILE-15)",
    body: linksBody,
    response: z.object({ links: z.array(signedLinks.extend({ key: z.string() })) }),
    handler: async ({ body, ctx }) => ({
      links: await access.visitorLinks(await access.visitor(body.companyId, ctx.get('x-visitor-token') || body.token), body.keys),
    }),
  });
  api.route({
    method: 'post',
    path: '/api/files/:key/accept',
    tags,
    auth: 'agent',
    params: keyParams,
    response: fileView,
    summary: "Receive a visitor's file (接收, CONV-FILE-16)",
    handler: ({ params, auth }) => access.accept(auth, params.key),
  });
  api.route({
    method: 'post',
    path: '/api/files/:key/refuse',
    tags,
    auth: 'agent',
    params: keyParams,
    response: fileView,
    summary: "Refuse a visitor's file (取消): it is deleted and the visitor told (CONV-FILE-16)",
    handler: ({ params, auth }) => access.refuse(auth, params.key),
  });

  const download = (variant: FileVariant) =>
    api.route({
      method: 'get',
      path: variant === 'thumb' ? '/f/:key/thumb' : '/f/:key',
      tags,
      auth: 'public',
      params: keyParams,
      query: linkQuery,
      summary:
        variant === 'thumb' ? 'An image thumbnail (CONV-IMAGE-17)' : 'Download a file: agents of the company by session, others by signed link (CONV-FILE-15)',
      handler: async ({ params, query, ctx }) => {
        const auth = ctx.state.auth as AuthInfo | undefined;
        const d = await access.open(params.key, variant, { agentCompanyId: auth?.companyId, agentId: auth?.agent.id, exp: query.exp, sig: query.sig });
        ctx.type = d.mime;
        ctx.length = d.size;
        ctx.set('X-Content-Type-Options', 'nosniff');
        // Nothing uploaded may run as a page from this origin, even if opened directly.
        ctx.set('Content-Security-Policy', "sandbox; default-src 'none'");
        ctx.set('Cache-Control', 'private, max-age=3600');
        ctx.set(
          'Content-Disposition',
          contentDisposition(d.inline ? 'inline' : 'attachment', variant === 'thumb' ? d.name.replace(/\.[^.]*$/, '') + '.webp' : d.name),
        );
        return files.storage.open(d.path);
      },
    });
  download('thumb');
  download('file');
}
