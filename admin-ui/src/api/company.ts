import { postImage } from './avatars-mobile';
import { api } from './client';

/** Optional fields are `null` when not set. */
export interface CompanyInfo {
  publicId: number;
  name: string;
  shortName: string | null;
  website: string | null;
  contact: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  timezone: string;
  visitorLanguage?: string;
  consoleLanguage?: string;
  /** COMPANY-LOCALE-7: default country calling code, e.g. +86. */
  callingCode?: string;
  /** COMPANY-EMAIL-5: false when set without a mail server to confirm it. */
  emailVerified?: boolean;
  pendingEmail?: { email: string; expiresAt: string } | null;
  /** COMPANY-LOGO-6: null shows the Kefu mark. */
  logoUrl?: string | null;
  version: number;
}

/** Only the fields that change; `null` clears an optional one; `version` guards against lost updates. */
export type CompanyUpdate = Partial<Omit<CompanyInfo, 'publicId' | 'version' | 'emailVerified' | 'pendingEmail' | 'logoUrl'>> & { version: number };

export const companyApi = {
  get: () => api.get<CompanyInfo>('/api/company'),
  update: (body: CompanyUpdate) => api.patch<CompanyInfo>('/api/company', body),
  setLogo: (file: File) => postImage<CompanyInfo>('/api/company/logo', file),
  removeLogo: () => api.delete<CompanyInfo>('/api/company/logo'),
  /** The link of COMPANY-EMAIL-5, opened by whoever reads that mailbox (no sign-in needed). */
  confirmEmail: (token: string) => api.post<{ publicId: number }>('/api/company/email/confirm', { token }),
};
