/**
 * After a login with "remember me" the browser keeps the company ID and agent ID (never a password
 * or a token, SPEC LOGIN-IDS-11) and may hand the credential to its password manager (LOGIN-SAVEPWD-9).
 */
export interface LoginIds {
  companyId: string;
  agentId: string;
}

const KEY = 'kefu.login.ids';

export function readRememberedIds(): LoginIds | null {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<LoginIds> | null;
    return typeof value?.companyId === 'string' && typeof value.agentId === 'string' ? { companyId: value.companyId, agentId: value.agentId } : null;
  } catch {
    return null;
  }
}

export function rememberIds(ids: LoginIds | null): void {
  try {
    if (ids) localStorage.setItem(KEY, JSON.stringify(ids));
    else localStorage.removeItem(KEY);
  } catch {
    // storage unavailable: nothing is remembered
  }
}

type PasswordCredentialCtor = new (data: { id: string; password: string; name?: string }) => Credential;

/** Offers the credential to the browser's password manager where the Credential Management API exists. */
export async function offerToPasswordManager(ids: LoginIds, password: string): Promise<void> {
  const Ctor = (window as unknown as { PasswordCredential?: PasswordCredentialCtor }).PasswordCredential;
  if (!Ctor || !navigator.credentials?.store) return;
  try {
    await navigator.credentials.store(new Ctor({ id: `${ids.companyId} / ${ids.agentId}`, password, name: ids.agentId }));
  } catch {
    // The user declined or the browser refused; nothing else to do.
  }
}

/** 客服端 when installed as an app, 手机端 on a phone, else 网页端 (SPEC LOGINLOG-METHOD-3). */
export function loginMethod(): 'web' | 'app' | 'mobile' {
  const media = (query: string) => typeof matchMedia === 'function' && matchMedia(query).matches;
  if (media('(display-mode: standalone)') || (navigator as { standalone?: boolean }).standalone) return 'app';
  if (media('(max-width: 767px)') && media('(pointer: coarse)')) return 'mobile';
  return 'web';
}
