import type { z } from 'zod';
import { filePath } from '../files/file-links.ts';
import { scopeOf, type ToolKind } from './tool-kinds.ts';
import type { itemViews } from './tool-schemas.ts';

export type ItemView<K extends ToolKind> = z.infer<(typeof itemViews)[K]>;

const iso = (d: unknown) => new Date(d as string).toISOString();

/** The API shape of a stored entry of any list (schemas in tool-schemas.ts). */
export function toItemView<K extends ToolKind>(kind: K, r: any): ItemView<K> {
  const common = { id: Number(r.id), scope: scopeOf(r), groupId: Number(r.group_id), position: r.position, updatedAt: iso(r.updated_at) };
  if (kind === 'canned') return { ...common, title: r.title ?? null, content: r.content, shortcut: r.shortcut ?? null } as ItemView<K>;
  if (kind === 'link') return { ...common, title: r.title, url: r.url } as ItemView<K>;
  return {
    ...common,
    title: r.title,
    file: { key: r.key, name: r.name, size: Number(r.size), mime: r.mime, kind: r.thumb_path ? ('image' as const) : ('file' as const), url: filePath(r.key) },
  } as ItemView<K>;
}
