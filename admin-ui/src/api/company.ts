import { api } from './client';

export interface CompanyInfo {
  publicId: number;
  name: string;
  shortName: string;
  website: string;
  contact: string;
  email: string;
  phone: string;
  address: string;
  timezone: string;
  version: number;
}

export type CompanyUpdate = Partial<Omit<CompanyInfo, 'publicId' | 'version'>> & { version: number };

export const companyApi = {
  get: () => api.get<CompanyInfo>('/api/company'),
  update: (body: CompanyUpdate) => api.patch<CompanyInfo>('/api/company', body),
};
