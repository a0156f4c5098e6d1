import { api } from './client';
import type { LocalizedText } from './types';

/** 关于 (SPEC MENU-ABOUT-5); `system` is filled for admins only. */
export interface About {
  product: string;
  version: string;
  commit: string | null;
  licence: { name: string; url: string };
  plugins: { id: string; name: LocalizedText; version: string }[];
  system: {
    database: 'postgresql' | 'embedded';
    nodes: { version: string; commit: string | null; startedAt: string }[];
    mixedVersions: boolean;
  } | null;
}

/** 联系支持 (SPEC MENU-CONTACT-3): null when the operator configured none. */
export interface SupportContact {
  url: string | null;
  email: string | null;
  phone: string | null;
}

export const aboutApi = {
  get: () => api.get<About>('/api/about'),
  supportContact: async () => (await api.get<{ contact: SupportContact | null }>('/api/support-contact')).contact,
};
