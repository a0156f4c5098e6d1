import { inject, injectable } from '../infra/di.ts';
import { conflict, fieldError } from '../http/errors.ts';
import { toFileView } from '../files/file-service.ts';
import { FileStorage } from '../files/file-storage.ts';
import type { Tenant } from '../tenancy/tenant.ts';

/** A file or image in an internal message, as its thread shows it (INTERNAL-FILES-5). */
export interface InternalFile {
  fileKey: string;
  name: string;
  size: number;
  mime: string;
  kind: 'image' | 'file';
  url: string;
  thumbUrl?: string;
  width?: number;
  height?: number;
}

/**
 * Files sent in internal chat (SPEC INTERNAL-FILES-5). They are uploaded like
 * conversation files (POST /api/files without a conversation: the same size,
 * type and image rules, CONV-FILE-14, CONV-IMAGE-17), then sent by key; once
 * sent, only members of the thread open them, and a recall deletes them.
 */
@injectable()
export class InternalFiles {
  constructor(@inject(FileStorage) private readonly storage: FileStorage) {}

  /** The sender's own upload, not yet sent anywhere; anything else is unknown to them. */
  async attachable(t: Tenant, agentId: number, fileKey: string): Promise<{ id: number; file: InternalFile }> {
    const row = await t
      .q('files')
      .where({ key: fileKey, uploader_kind: 'agent', uploader_id: agentId, status: 'available' })
      .whereNull('conversation_id')
      .first();
    if (!row) throw fieldError('fileKey', 'not_found', 'Upload the file first');
    if (row.internal_message_id) throw conflict('file_already_sent', 'This file was already sent');
    const v = toFileView(row);
    const file: InternalFile = { fileKey: v.key, name: v.name, size: v.size, mime: v.mime, kind: v.kind, url: v.url };
    if (v.thumbUrl) Object.assign(file, { thumbUrl: v.thumbUrl, width: v.width, height: v.height });
    return { id: Number(row.id), file };
  }

  async link(t: Tenant, fileId: number, messageId: number): Promise<void> {
    await t.q('files').where({ id: fileId }).update({ internal_message_id: messageId });
  }

  /** INTERNAL-RECALL-10: a recalled message's file leaves storage. */
  async remove(t: Tenant, messageId: number): Promise<void> {
    const rows = await t.q('files').where({ internal_message_id: messageId }).del().returning(['storage_path', 'thumb_path']);
    for (const r of rows) await this.storage.remove(r.storage_path, r.thumb_path);
  }

  /** Only a member of the message's thread opens its file; in a group or ad-hoc chat, a current member who joined before it (INTERNAL-GROUPCHAT-7). */
  async canOpen(t: Tenant, agentId: number, messageId: number): Promise<boolean> {
    const row = await t
      .q('internal_messages as x')
      .where({ 'x.id': messageId })
      .where((w) =>
        w
          .where({ 'x.from_agent_id': agentId })
          .orWhere({ 'x.to_agent_id': agentId })
          .orWhereExists((m) =>
            m
              .from('internal_thread_members as m')
              .whereRaw('m.thread_id = x.thread_id and m.agent_id = ? and m.left_at is null and m.joined_after_id < x.id', [agentId]),
          ),
      )
      .first('x.id');
    return !!row;
  }

  /** A dissolved chat's files leave storage with it. */
  async removeThread(t: Tenant, threadId: number): Promise<void> {
    const rows = await t
      .q('files')
      .whereIn('internal_message_id', t.q('internal_messages').where({ thread_id: threadId }).select('id'))
      .del()
      .returning(['storage_path', 'thumb_path']);
    for (const r of rows) await this.storage.remove(r.storage_path, r.thumb_path);
  }
}
