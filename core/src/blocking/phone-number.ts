/** Phone numbers as CALLBACK-AGENTPHONE-3 stores them: E.164, completed with the company's country code (+86 by default). */
export const DEFAULT_COUNTRY_CODE = '86';

/**
 * A Chinese mobile (11 digits starting 1[3-9]), a landline with its area code (`010-12345678`, an extension
 * after a further `-` is dropped) or an international number with `+` (8–15 digits) in E.164 form; null when
 * it is none of these. Spaces, dashes, dots and brackets between digits are ignored.
 */
export function normalizePhone(raw: string, countryCode = DEFAULT_COUNTRY_CODE): string | null {
  const s = raw.trim();
  if (/^\+[\d\s().-]+$/.test(s)) {
    const digits = s.slice(1).replace(/\D/g, '');
    return /^[1-9]\d{7,14}$/.test(digits) ? `+${digits}` : null;
  }
  if (!/^[\d\s().-]+$/.test(s)) return null;
  // Only dashes are kept: the one after the number marks an extension.
  const compact = s.replace(/[\s().]/g, '');
  const landline = /^(0\d{2,3})-?(\d{7,8})(?:-\d{1,6})?$/.exec(compact);
  if (landline) return `+${countryCode}${landline[1].slice(1)}${landline[2]}`;
  const digits = compact.replace(/-/g, '');
  if (/^1[3-9]\d{9}$/.test(digits)) return `+${countryCode}${digits}`;
  return null;
}
