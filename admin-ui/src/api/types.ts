/** Shapes shared by several endpoints (server API contract, round 1). */
export type Role = 'admin' | 'agent';

export interface Me {
  id: number;
  agentId: string;
  name: string;
  nickname: string;
  role: Role;
  isPrimary: boolean;
  permissions: string[];
  language: string;
  email: string | null;
  phone: string | null;
  /** PROFILE-AVATAR-4: my picture, or null for initials. */
  avatarUrl?: string | null;
}

export interface Company {
  id: number;
  publicId: number;
  name: string;
}

/** A text the server gives in both catalogue languages. */
export interface LocalizedText {
  'zh-CN': string;
  en: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface PageQuery {
  page: number;
  pageSize: number;
}
