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
  version: number;
}

/** Only the fields that change; `null` clears an optional one; `version` guards against lost updates. */
export type CompanyUpdate = Partial<Omit<CompanyInfo, 'publicId' | 'version'>> & { version: number };

export const companyApi = {
  get: () => api.get<CompanyInfo>('/api/company'),
  update: (body: CompanyUpdate) => api.patch<CompanyInfo>('/api/company', body),
};
