import { api } from './client';

export type BlockKind = 'visitor' | 'chat';

/** A live entry of the blocking list (DISPLAY-BLOCKLIST-10). */
export interface Block {
  id: number;
  kind: BlockKind;
  cidr: string | null;
  visitorId: number | null;
  note: string | null;
  endsAt: string | null;
  createdBy: number | null;
  createdByName: string | null;
  createdAt: string;
  hits: number;
}

export interface BlockInput {
  kind: BlockKind;
  endsAt?: string | null;
  note?: string | null;
}

export const blocksApi = {
  list: () => api.get<{ items: Block[] }>('/api/blocks'),
  /** An address or range; `confirmSelf` when it covers the caller's own address (409 `would_block_self`). */
  add: (body: BlockInput & { cidr: string; confirmSelf?: boolean }) => api.post<{ items: Block[] }>('/api/blocks', body),
  /** The visitor of a row: its visitor ID and current address in one entry (DISPLAY-BLOCKMENU-14). */
  blockVisitor: (visitorId: number, body: BlockInput) => api.post<{ items: Block[] }>(`/api/visitors/${visitorId}/block`, body),
  remove: (id: number) => api.delete<void>(`/api/blocks/${id}`),
};
