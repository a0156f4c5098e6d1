import { isApiError } from '@/api/client';
import { i18n } from '@/i18n';
import { errorText } from '@/utils/error-text';

/** Login refusals in the words of SPEC LOGIN-ERRORS-4 and OTP-LOGIN-4; other codes as everywhere. */
export function loginErrorText(error: unknown): string {
  if (isApiError(error)) {
    const key = `login.errors.${error.code}`;
    if (i18n.global.te(key, 'en')) return i18n.global.t(key, { ip: error.ip ?? '?' });
  }
  return errorText(error);
}
