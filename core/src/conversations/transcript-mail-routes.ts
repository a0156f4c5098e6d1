import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { FileAccess } from '../files/file-access.ts';
import { idParams } from '../accounts/agent-schemas.ts';
import { verificationAnswer } from '../protocol/visitor-events.ts';
import { TranscriptMail } from './transcript-mail.ts';

const transcriptEmailBody = z.strictObject({
  companyId: z.union([z.number().int(), z.string().regex(/^\d{1,15}$/)]),
  token: z.string().max(100).optional().describe('Or the X-Visitor-Token header'),
  conversationId: z.number().int().positive(),
  email: z.email().max(254),
  language: z.string().trim().min(2).max(10).default('zh-CN').describe('Language of the e-mail (zh-* is Chinese, anything else English)'),
  verification: verificationAnswer.optional(),
});

/** CONV-TRANSCRIPT-40 邮件发送记录: the route the chat window calls, and the end of a conversation that sends what waited. */
export function registerTranscriptMail(api: ApiRouter, c: DependencyContainer) {
  const mail = c.resolve(TranscriptMail);
  const access = c.resolve(FileAccess);
  api.route({
    method: 'post',
    path: '/api/widget/transcript/email',
    tags: ['widget'],
    auth: 'public',
    summary:
      "The visitor asks for the conversation's transcript by e-mail (tool 邮件发送记录): sent when it ends, or at once if it has; at most 3 per conversation (429 rate_limited), 403 tool_disabled, 409 smtp_not_configured; 403 verification_required / verification_failed with a `challenge` when the anti-spam verification applies (POLICY-SPAM-4/5)",
    body: transcriptEmailBody,
    response: z.object({
      status: z.enum(['sent', 'scheduled']).describe('sent: queued to the mail server now; scheduled: when the conversation ends'),
      remaining: z.number().describe('Requests left for this conversation'),
    }),
    handler: async ({ body, ctx }) =>
      mail.request(await access.visitor(body.companyId, ctx.get('x-visitor-token') || body.token), {
        conversationId: body.conversationId,
        email: body.email,
        language: body.language,
        ip: String(ctx.state.ip ?? ctx.ip),
        verification: body.verification,
      }),
  });
  api.route({
    method: 'post',
    path: '/api/conversations/:id/transcript/email',
    tags: ['conversations'],
    auth: 'agent',
    summary:
      '发送记录 (CONV-EMAIL-39): e-mail the transcript now to up to 5 addresses; participants, admins and history.viewAll; at most 10 per conversation and 50 per agent a day (429 rate_limited), 409 smtp_not_configured',
    params: idParams,
    body: z.strictObject({
      emails: z.array(z.email().max(254)).min(1).max(5),
      language: z.string().trim().min(2).max(10).default('zh-CN').describe('Language of the e-mail (zh-* is Chinese, anything else English)'),
    }),
    response: z.object({ sent: z.number(), remaining: z.number().describe('Agent sends left for this conversation') }),
    handler: ({ params, body, auth }) => mail.agentSend(auth, { conversationId: params.id, emails: body.emails, language: body.language }),
  });
  api.route({
    method: 'get',
    path: '/api/conversations/:id/transcript/sends',
    tags: ['conversations'],
    auth: 'agent',
    summary: 'The transcript e-mails recorded on a conversation: who (null: the visitor asked), to whom, when (CONV-EMAIL-39)',
    params: idParams,
    response: z.object({
      items: z.array(
        z.object({ email: z.string(), agentId: z.number().nullable(), agentNickname: z.string().nullable(), at: z.string(), queued: z.boolean() }),
      ),
    }),
    handler: async ({ params, auth }) => ({ items: await mail.sends(auth, params.id) }),
  });
  c.resolve(HookRegistry).addAction('conversation.ended', (e, { companyId }) => mail.onEnded(companyId, e.conversationId));
}
