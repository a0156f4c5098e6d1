import { api } from './client';

/** GROUP-OVERFLOW-7: where a group sends what it cannot serve, and after how long. */
export interface GroupOverflow {
  target: 'leave_message' | 'group' | 'company';
  groupId: number | null;
  waitSeconds: number;
}

export interface Group {
  id: number;
  name: string;
  description: string | null;
  memberIds: number[];
  overflow: GroupOverflow;
  /** GROUP-STATE-6: the members' state now, members on duty, visitors waiting for the group. */
  live: { state: 'online' | 'busy' | 'offline'; onDuty: number; waiting: number };
}

/** GROUP-EXPAND-2: what an expanded group row shows. */
export interface GroupDetail {
  members: {
    agentId: number;
    nickname: string;
    status: 'online' | 'busy' | 'away' | 'invisible' | 'offline';
    load: number;
    cap: number;
    acceptedToday: number;
  }[];
  bindings: { kind: 'icon' | 'groupIconEntry' | 'questionType' | 'routingRule'; id: string; name: string }[];
  queue: { waiting: { conversationId: number; visitorNumber: number; visitorName: string | null; createdAt: string }[]; longestWaitSeconds: number };
}

export interface GroupInput {
  name: string;
  description?: string;
  memberIds?: number[];
  overflow?: GroupOverflow;
}

const base = '/api/groups';

export const groupsApi = {
  list: () => api.get<{ items: Group[] }>(base),
  create: (body: GroupInput) => api.post<Group>(base, body),
  update: (id: number, body: Partial<GroupInput>) => api.patch<Group>(`${base}/${id}`, body),
  remove: (id: number) => api.delete<void>(`${base}/${id}`),
  detail: (id: number) => api.get<GroupDetail>(`${base}/${id}/detail`),
};
