import { runsInstalled } from '@/app/installable';

/**
 * After a login with "remember me" the browser keeps the company ID and agent ID (never a password
 * or a token, SPEC LOGIN-IDS-11) and may hand the credential to its password manager (LOGIN-SAVEPWD-9).
 */
export interface LoginIds {
  companyId: string;
  agentId: string;
}

const KEY = 'kefu.login.ids';
const MAX_REMEMBERED = 5;

const samePair = (a: LoginIds, b: LoginIds) => a.companyId === b.companyId && a.agentId.toLowerCase() === b.agentId.toLowerCase();
const isPair = (v: unknown): v is LoginIds => typeof (v as LoginIds)?.companyId === 'string' && typeof (v as LoginIds)?.agentId === 'string';

/** The remembered pairs, newest first (a single pair stored by earlier versions counts as a list of one). */
export function readRememberedIds(): LoginIds[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    const list = Array.isArray(value) ? value : [value];
    return list.filter(isPair).map(({ companyId, agentId }) => ({ companyId, agentId }));
  } catch {
    return [];
  }
}

function write(list: LoginIds[]): LoginIds[] {
  try {
    if (list.length) localStorage.setItem(KEY, JSON.stringify(list));
    else localStorage.removeItem(KEY);
  } catch {
    // storage unavailable: nothing is remembered
  }
  return list;
}

/** Puts the pair first, keeping at most five. */
export const rememberIds = (ids: LoginIds): LoginIds[] => write([ids, ...readRememberedIds().filter((p) => !samePair(p, ids))].slice(0, MAX_REMEMBERED));
export const forgetIds = (ids: LoginIds): LoginIds[] => write(readRememberedIds().filter((p) => !samePair(p, ids)));
export const clearRememberedIds = (): LoginIds[] => write([]);

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
  if (runsInstalled()) return 'app';
  if (media('(max-width: 767px)') && media('(pointer: coarse)')) return 'mobile';
  return 'web';
}
