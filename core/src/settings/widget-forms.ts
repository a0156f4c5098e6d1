/**
 * The visitor's forms as the widget receives them (PRECHAT-RENDER-7, LEAVESET-RENDER-8), from the stored switches.
 * No dependencies: the server's widget setup answer and the console's live preview (STYLE-PREVIEW-6) both build
 * them here, so the preview shows exactly what a visitor will get.
 */

/** Items of the pre-chat form, in the order the visitor sees them. */
export const PRECHAT_FIELDS = [
  'name',
  'questionType',
  'email',
  'phone',
  'mobile',
  'company',
  'title',
  'website',
  'qq',
  'wechat',
  'gender',
  'idNumber',
  'orderNumber',
] as const;
export type PrechatField = (typeof PRECHAT_FIELDS)[number];

/** Items of the leave-message form; the message itself (`content`) always follows them. */
export const LEAVE_FIELDS = ['name', 'mobile', 'phone', 'email', 'qq', 'company', 'address', 'subject'] as const;
export type LeaveField = (typeof LEAVE_FIELDS)[number];

type PerLang = Record<string, string>;
type Switches<F extends string> = Record<F, { shown: boolean; required: boolean }>;
export interface PublicField {
  key: string;
  required: boolean;
  label?: PerLang;
}

/** The shown items in form order, each with whether it is required. */
export const shownFields = <F extends string>(keys: readonly F[], fields: Switches<F>): PublicField[] =>
  keys.filter((f) => fields[f].shown).map((f) => ({ key: f, required: fields[f].required }));

export function publicPrechat(p: {
  enabled: boolean;
  welcome: PerLang;
  fields: Switches<PrechatField>;
  questionTypes: { id: string; label: PerLang; order: number }[];
}) {
  return {
    enabled: p.enabled,
    welcome: p.welcome,
    fields: shownFields(PRECHAT_FIELDS, p.fields),
    questionTypes: [...p.questionTypes].sort((a, b) => a.order - b.order).map((q) => ({ id: q.id, label: q.label })),
  };
}

export function publicLeaveMessage(m: {
  enabled: boolean;
  externalUrl: string | null;
  texts: Record<string, unknown>;
  fields: Switches<LeaveField>;
  requireContact: boolean;
}) {
  return {
    enabled: m.enabled,
    externalUrl: m.externalUrl,
    texts: m.texts,
    fields: [...shownFields(LEAVE_FIELDS, m.fields), { key: 'content', required: true }],
    requireContact: m.requireContact,
  };
}
