import type { Knex } from 'knex';

export type ToolKind = 'canned' | 'link' | 'file';
export type Scope = 'company' | 'personal';
export const SCOPES = ['company', 'personal'] as const;

export interface KindSpec {
  table: string;
  /** The path segment under /api/agent-tools. */
  path: string;
  /** Editing the company scope needs it; personal entries are always the agent's own (CHATSET-PERMS-14). */
  permission: string;
  limits: Record<Scope, number>;
  /** Groups a new scope starts with: key and stored (zh-CN) name; the console names them in its language. */
  builtins: { key: string; name: string }[];
  /** Columns a search matches (case-insensitive). */
  searchColumns: string[];
  /** Extra columns or joins a listing needs (files join their stored upload). */
  select?: (q: Knex.QueryBuilder) => Knex.QueryBuilder;
}

const general = [{ key: 'general', name: '默认分组' }];

/** The three lists of CHATSET-CANNED-7, CHATSET-LINKS-12 and CHATSET-FILES-13; one permission covers links and files. */
export const KINDS: Record<ToolKind, KindSpec> = {
  canned: {
    table: 'canned_replies',
    path: 'canned',
    permission: 'canned.manage',
    limits: { company: 2000, personal: 500 },
    builtins: [
      { key: 'welcome', name: '欢迎语' },
      { key: 'common', name: '常用语' },
      { key: 'closing', name: '结束语' },
    ],
    searchColumns: ['i.title', 'i.content', 'i.shortcut'],
  },
  link: {
    table: 'common_links',
    path: 'links',
    permission: 'links.manage',
    limits: { company: 500, personal: 500 },
    builtins: general,
    searchColumns: ['i.title', 'i.url'],
  },
  file: {
    table: 'common_files',
    path: 'files',
    permission: 'links.manage',
    limits: { company: 500, personal: 500 },
    builtins: general,
    searchColumns: ['i.title', 'f.name'],
    select: (q) => q.join('files as f', 'f.id', 'i.file_id').select('f.key', 'f.name', 'f.size', 'f.mime', 'f.thumb_path'),
  },
};

/** Up to 50 groups per scope and list (CHATSET-CANNED-7). */
export const MAX_GROUPS = 50;

/** The owner column of a scope: null for the company, the agent's id for personal entries. */
export const ownerOf = (scope: Scope, agentId: number): number | null => (scope === 'company' ? null : agentId);
export const scopeOf = (row: { agent_id: unknown }): Scope => (row.agent_id == null ? 'company' : 'personal');

/** Restricts `q` to one scope; `column` is the owner column with its alias. */
export const inScope = (q: Knex.QueryBuilder, owner: number | null, column = 'agent_id') => (owner == null ? q.whereNull(column) : q.where(column, owner));

/** `%text%` with LIKE's wildcards taken literally. */
export const likeArg = (s: string) => `%${s.replace(/[\\%_]/g, (ch) => '\\' + ch)}%`;
