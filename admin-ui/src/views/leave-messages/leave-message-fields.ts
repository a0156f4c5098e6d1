import type { LeaveMessage } from '@/api/leave-messages';

/** The form items a visitor may fill (LEAVESET-INFO-5), in the order the detail lists them. */
export const LEAVE_FIELD_ORDER = ['name', 'mobile', 'phone', 'email', 'qq', 'company', 'address', 'subject', 'content'] as const;

/** 联系方式: the first of mobile, e-mail, landline and QQ that was given (LEAVEMSG-LIST-1). */
export function contactOf(m: LeaveMessage): string {
  return m.fields.mobile || m.email || m.fields.email || m.phone || m.fields.phone || m.fields.qq || '';
}
