import { inject, injectable } from '../infra/di.ts';
import { AppError, conflict } from '../http/errors.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { FileStorage } from '../files/file-storage.ts';
import { KEY_PATTERN } from '../files/file-access.ts';
import type { ToolKind } from './tool-kinds.ts';

/** What differs between the lists: which columns an input sets, and what a removed row leaves behind. */
export interface ToolCodec {
  columns(t: Tenant, input: Record<string, unknown>, creating: boolean): Promise<Record<string, unknown>>;
  /** Maps a unique-index violation to the answer the caller should see. */
  duplicate?(): AppError;
  /** After a row stopped referring to something it owned (a replaced or deleted file). */
  released?(t: Tenant, before: any, after: any | null): Promise<void>;
}

const pick = (input: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.filter((k) => input[k] !== undefined).map((k) => [k, input[k]]));

const canned: ToolCodec = {
  columns: async (_t, input) => pick(input, ['title', 'content', 'shortcut']),
  duplicate: () =>
    conflict('shortcut_taken', 'This shortcut is already used in this list', {
      fields: [{ path: 'shortcut', code: 'shortcut_taken', message: 'Shortcut in use' }],
    }),
};

const link: ToolCodec = { columns: async (_t, input) => pick(input, ['title', 'url']) };

/**
 * Common files refer to an upload made without a conversation (POST /api/files).
 * Sent copies are rows of their own sharing the stored bytes, so the bytes are
 * removed only when nothing else refers to them (CHATSET-FILES-13).
 */
@injectable()
export class CommonFileCodec implements ToolCodec {
  constructor(@inject(FileStorage) private readonly storage: FileStorage) {}

  async columns(t: Tenant, input: Record<string, unknown>, creating: boolean) {
    const out = pick(input, ['title']);
    if (typeof input.fileKey !== 'string') return out;
    const file = KEY_PATTERN.test(input.fileKey)
      ? await t.q('files').where({ key: input.fileKey, status: 'available' }).whereNull('conversation_id').first('id', 'name')
      : null;
    if (!file) throw conflict('file_not_found', 'Upload the file first', { fields: [{ path: 'fileKey', code: 'file_not_found', message: 'Unknown file' }] });
    return { ...(creating ? { title: [...file.name].slice(0, 50).join('') } : {}), ...out, file_id: Number(file.id) };
  }

  async released(t: Tenant, before: any, after: any | null) {
    if (after && Number(after.file_id) === Number(before.file_id)) return;
    const id = Number(before.file_id);
    if (await t.q('common_files').where({ file_id: id }).first('id')) return;
    const row = await t.q('files').where({ id }).first('storage_path', 'thumb_path');
    await t.q('files').where({ id }).del();
    if (row && !(await t.q('files').where({ storage_path: row.storage_path }).first('id'))) await this.storage.remove(row.storage_path, row.thumb_path);
  }
}

export const plainCodecs: Partial<Record<ToolKind, ToolCodec>> = { canned, link };
