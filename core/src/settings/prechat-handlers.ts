import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { conflict, validationFailed } from '../http/errors.ts';
import { Tenant } from '../tenancy/tenant.ts';
import type { VisitorCaller } from '../conversations/visitor-event-handlers.ts';
import type { VisitorRef } from '../visitors/visitor-service.ts';
import { checkForm } from './field-rules.ts';
import { checkExtras } from './prechat-extras.ts';
import { WidgetSettingsService } from './widget-settings-service.ts';

/** `prechat.submit` (PRECHAT-STORE-8): the visitor's answers to the pre-chat form. */
export const prechatSubmitPayload = z.strictObject({
  fields: z.record(z.string().max(40), z.union([z.string().max(4000), z.number()])).refine((f) => Object.keys(f).length <= 40, 'Too many fields'),
});

export interface PrechatResult {
  /** The group bound to the chosen question type: pass it as `chat.request {groupId}` (PRECHAT-QTYPE-2). */
  groupId: number | null;
  questionType: string | null;
  fields: Record<string, string>;
}

/**
 * Validates against the company's form, stores on the visitor, fires `visitor.formSubmitted`. The same form
 * pushed by an agent into a chat (CONV-FORM-22, source `pushed`) is accepted with the pre-chat switch off.
 */
export async function submitPrechat(
  c: DependencyContainer,
  visitor: VisitorRef,
  raw: Record<string, unknown>,
  from: { source: 'prechat' | 'pushed'; conversationId: number | null } = { source: 'prechat', conversationId: null },
): Promise<PrechatResult> {
  const db = c.resolve<Db>(TOKENS.Db);
  const settings = c.resolve(WidgetSettingsService);
  const form = (await settings.read(visitor.companyId)).prechat;
  if (!form.enabled && from.source === 'prechat') throw conflict('prechat_disabled', 'The pre-chat form is switched off');
  const { values, problems } = checkForm(raw, form.fields);
  // Items plugins add (PRECHAT-CRMFIELDS-6) go to them through the hook, not onto the visitor.
  const extra = checkExtras(raw, (await settings.prechatExtras(visitor.companyId)).fields);
  problems.push(...extra.problems);
  const qt = values.questionType ? form.questionTypes.find((q) => q.id === values.questionType) : undefined;
  if (values.questionType && !qt) problems.push({ path: 'fields.questionType', code: 'unknown_question_type', message: 'No such question type' });
  if (problems.length) throw validationFailed(problems);

  const t = new Tenant(db, visitor.companyId);
  const patch: Record<string, unknown> = {
    attributes: db.raw(`coalesce(attributes, '{}'::jsonb) || ?::jsonb`, [JSON.stringify({ prechat: values, prechatAt: new Date().toISOString() })]),
  };
  if (values.name) patch.name = values.name;
  if (values.email) patch.email = values.email;
  if (values.mobile || values.phone) patch.phone = values.mobile ?? values.phone;
  await t.q('visitors').where({ id: visitor.id }).update(patch);
  // A group deleted since the settings were saved routes company-wide.
  const groupId = qt?.groupId && (await t.q('groups').where({ id: qt.groupId }).first('id')) ? qt.groupId : null;
  await c
    .resolve(HookRegistry)
    .emit(
      'visitor.formSubmitted',
      { visitorId: visitor.id, ...from, fields: values, questionType: qt?.id ?? null, extraFields: extra.values },
      { companyId: visitor.companyId, actor: { kind: 'visitor', id: visitor.id } },
    );
  return { groupId, questionType: qt?.id ?? null, fields: values };
}

/**
 * PRECHAT-SWITCH-1, PRECHAT-WHEN-4: with the form on, a chat the visitor starts needs a submission made since
 * their last conversation began; asking again for an open (or held) conversation returns it without the form.
 */
export async function requirePrechat(c: DependencyContainer, visitor: VisitorRef): Promise<void> {
  if (!(await c.resolve(WidgetSettingsService).read(visitor.companyId)).prechat.enabled) return;
  const t = new Tenant(c.resolve<Db>(TOKENS.Db), visitor.companyId);
  const last = await t.q('conversations').where({ visitor_id: visitor.id }).orderBy('created_at', 'desc').first('status', 'created_at');
  if (last && last.status !== 'ended') return;
  const v = await t.q('visitors').where({ id: visitor.id }).first('attributes');
  const at = v?.attributes?.prechatAt ? new Date(v.attributes.prechatAt) : null;
  if (!at || (last && at <= new Date(last.created_at))) throw conflict('prechat_required', 'Fill in the visitor information form first');
}

type VisitorHandler = { spec: { schema: any; handler: (p: any, caller: VisitorCaller) => Promise<unknown> } };

/** `/visitor` events of the pre-chat form, merged into the visitor handler map in server.ts. */
export function prechatVisitorHandlers(c: DependencyContainer): Map<string, VisitorHandler> {
  return new Map<string, VisitorHandler>([
    ['prechat.submit', { spec: { schema: prechatSubmitPayload, handler: (p, { visitor }) => submitPrechat(c, visitor, p.fields) } }],
  ]);
}
