import { api } from './client';

export interface Group {
  id: number;
  name: string;
  description: string | null;
  memberIds: number[];
}

export interface GroupInput {
  name: string;
  description?: string;
  memberIds?: number[];
}

const base = '/api/groups';

export const groupsApi = {
  list: () => api.get<{ items: Group[] }>(base),
  create: (body: GroupInput) => api.post<Group>(base, body),
  update: (id: number, body: Partial<GroupInput>) => api.patch<Group>(`${base}/${id}`, body),
  remove: (id: number) => api.delete<void>(`${base}/${id}`),
};
