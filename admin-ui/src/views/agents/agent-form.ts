import type { AgentCreate, AgentRow, AgentUpdate } from '@/api/agents';
import type { Role } from '@/api/types';

/** The agent editor's fields, and how they become the bodies of `POST` and `PATCH /api/agents`. */
export interface AgentForm {
  agentId: string;
  name: string;
  nickname: string;
  email: string;
  phone: string;
  role: Role;
  permissions: string[];
  groupIds: number[];
  /** false: 跟随公司默认 (company default, sent as `maxChats: null`). */
  customCap: boolean;
  maxChats: number;
  password: string;
  /** 首次登录须修改密码, ticked by default (SPEC AGENT-ADD-4). */
  mustChangePassword: boolean;
}

export const blankAgentForm = (): AgentForm => ({
  agentId: '',
  name: '',
  nickname: '',
  email: '',
  phone: '',
  role: 'agent',
  permissions: [],
  groupIds: [],
  customCap: false,
  maxChats: 5,
  password: '',
  mustChangePassword: true,
});

export const agentFormFrom = (agent: AgentRow): AgentForm => ({
  ...blankAgentForm(),
  agentId: agent.agentId,
  name: agent.name,
  nickname: agent.nickname,
  email: agent.email ?? '',
  phone: agent.phone ?? '',
  role: agent.role,
  permissions: [...agent.permissions],
  groupIds: agent.groups.map((g) => g.id),
  customCap: agent.maxChats !== null,
  maxChats: agent.maxChats ?? 5,
});

export const AGENT_FORM_FIELDS = ['agentId', 'name', 'nickname', 'email', 'phone', 'role', 'permissions', 'groupIds', 'maxChats', 'password'];

interface Options {
  /** False when the editor cannot list groups: membership is then left as it is. */
  withGroups: boolean;
}

function common(form: AgentForm, { withGroups }: Options) {
  return {
    name: form.name.trim(),
    nickname: form.nickname.trim() || undefined,
    role: form.role,
    // An administrator holds every permission; the list is not theirs to set.
    permissions: form.role === 'admin' ? [] : form.permissions,
    groupIds: withGroups ? form.groupIds : undefined,
    maxChats: form.customCap ? form.maxChats : null,
  };
}

export function toCreate(form: AgentForm, options: Options): AgentCreate {
  return {
    ...common(form, options),
    agentId: form.agentId.trim(),
    password: form.password,
    mustChangePassword: form.mustChangePassword,
    email: form.email.trim() || undefined,
    phone: form.phone.trim() || undefined,
  };
}

export function toUpdate(form: AgentForm, agent: AgentRow, options: Options & { changeAccess: boolean }): AgentUpdate {
  const { role, permissions, ...rest } = common(form, options);
  return {
    ...rest,
    email: form.email.trim() || null,
    phone: form.phone.trim() || null,
    version: agent.version,
    // Nobody changes their own role or permissions, and an admin's permissions are fixed (409 otherwise).
    ...(options.changeAccess ? { role } : {}),
    ...(options.changeAccess && role !== 'admin' ? { permissions } : {}),
  };
}
