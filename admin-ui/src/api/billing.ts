import { api } from './client';
import type { LocalizedText } from './types';

export type LicenceState = 'active' | 'expiring' | 'expired' | 'not_started' | 'not_activated';

/** One product of the billing page (SPEC BILLING-VIEW-1, -PRODUCTS-2, -REMAIN-3). */
export interface BillingRow {
  product: string;
  name: LocalizedText;
  description: LocalizedText | null;
  unit: LocalizedText | null;
  quantity: number | null;
  used: number | null;
  startsOn: string | null;
  expiresOn: string | null;
  remainingDays: number | null;
  state: LicenceState;
  /** Quota products (BILLING-QUOTA-5): units left, spent this month, top-ups; null otherwise. */
  /** `level`: under 10 % of what the last top-up left, or used up (BILLING-WARN-6). */
  quota: { left: number; level: 'ok' | 'low' | 'empty'; usedThisMonth: number; topups: { at: string; units: number; actor: string }[] } | null;
}

export interface LicenceChange {
  id: number;
  at: string;
  product: string;
  actor: { kind: 'operator' | 'admin'; agentId: string | null; name: string | null };
  old: Record<string, unknown> | null;
  new: Record<string, unknown> | null;
}

export interface RenewalContact {
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  url?: string | null;
}

export interface BillingView {
  mode: 'open' | 'managed';
  today: string;
  rows: BillingRow[];
  seatsOverLimit: boolean;
  contact: RenewalContact | null;
  history: LicenceChange[];
}

export const billingApi = {
  get: () => api.get<BillingView>('/api/billing'),
};
