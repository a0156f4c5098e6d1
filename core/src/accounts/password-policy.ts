import argon2 from 'argon2';
import { fieldError } from '../http/errors.ts';

/**
 * PROFILE-PASSWORD-3: 8–64 characters with a letter and a digit, not containing
 * the agent ID, not one of the last 3 passwords.
 */
export async function checkNewPassword(path: string, password: string, agentId: string, recentHashes: string[]): Promise<void> {
  const len = [...password].length;
  if (len < 8 || len > 64 || !/\p{L}/u.test(password) || !/\p{Nd}/u.test(password))
    throw fieldError(path, 'password_weak', 'Use 8–64 characters with at least one letter and one digit');
  if (password.toLowerCase().includes(agentId.toLowerCase())) throw fieldError(path, 'password_weak', 'The password must not contain the agent ID');
  for (const h of recentHashes.slice(0, 3)) {
    if (await argon2.verify(h, password).catch(() => false)) throw fieldError(path, 'password_reused', 'Choose a password you have not used recently');
  }
}

/** Keeps the current hash plus the previous two for the reuse check. */
export const nextHistory = (current: string | null, history: string[]) => (current ? [current, ...history] : history).slice(0, 3);
