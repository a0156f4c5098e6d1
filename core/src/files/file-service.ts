import crypto from 'node:crypto';
import type http from 'node:http';
import { z } from 'zod';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { randomToken } from '../infra/crypto.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { conflict, fieldError, notFound } from '../http/errors.ts';
import { parseOr400 } from '../http/validate.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { ConversationService, type Sender } from '../conversations/conversation-service.ts';
import type { MessageView } from '../protocol/message-schemas.ts';
import { toMessageView } from '../conversations/conversation-mapper.ts';
import { FileLinks, filePath } from './file-links.ts';
import { MAX_FILE_MB, readFileSettings } from './file-settings.ts';
import { FileStorage } from './file-storage.ts';
import { IMAGE_TYPES, sniffFile } from './file-types.ts';
import { processImage } from './image-processor.ts';
import { fileTooLarge, receiveUpload } from './multipart-upload.ts';

export type Uploader = Extract<Sender, { kind: 'agent' } | { kind: 'visitor' }>;

export interface FileView {
  key: string;
  name: string;
  size: number;
  mime: string;
  kind: 'image' | 'file';
  status: 'held' | 'available' | 'refused';
  conversationId: number | null;
  width?: number;
  height?: number;
  url: string;
  thumbUrl?: string;
}

const uploadFields = z.object({
  conversationId: z.coerce.number().int().positive().optional(),
  clientId: z.string().trim().min(8).max(64).optional(),
});

export const toFileView = (r: any): FileView => ({
  key: r.key,
  name: r.name,
  size: Number(r.size),
  mime: r.mime,
  kind: r.thumb_path ? 'image' : 'file',
  status: r.status,
  conversationId: r.conversation_id == null ? null : Number(r.conversation_id),
  ...(r.width ? { width: r.width, height: r.height } : {}),
  url: filePath(r.key),
  ...(r.thumb_path ? { thumbUrl: filePath(r.key, 'thumb') } : {}),
});

/**
 * Uploads (CONV-FILE-14, CONV-IMAGE-17): stream to a temporary file under a
 * size cap, detect the type from the content, re-encode images with a
 * thumbnail, store under a random key, then post an `image` or `file` message.
 */
@injectable()
export class FileService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(FileStorage) readonly storage: FileStorage,
    @inject(FileLinks) readonly links: FileLinks,
    @inject(ConversationService) private readonly conversations: ConversationService,
  ) {}

  /**
   * `who` may be resolved from the multipart fields (the widget sends its
   * company and token there), so it is a function of them; `companyId` is
   * passed when known up front, so the company's cap applies while streaming.
   */
  async upload(
    req: http.IncomingMessage,
    knownCompanyId: number | null,
    who: (fields: Record<string, string>) => Promise<{ companyId: number; sender: Uploader }>,
  ): Promise<{ file: FileView; message: MessageView | null; duplicate: boolean }> {
    const cap = knownCompanyId ? (await readFileSettings(this.db, knownCompanyId)).maxBytes : MAX_FILE_MB * 1024 * 1024;
    const temp = await this.storage.tempPath();
    try {
      const received = await receiveUpload(req, temp, cap);
      const { companyId, sender } = await who(received.fields);
      const fields = parseOr400(uploadFields, received.fields);
      const t = new Tenant(this.db, companyId);
      if (fields.conversationId) await this.assertCanPost(t, fields.conversationId, sender);
      if (fields.conversationId && fields.clientId) {
        const again = await this.retried(t, fields.conversationId, fields.clientId);
        if (again) return again;
      }
      if (!received.file || !received.file.size) throw fieldError('file', 'required', 'Attach a file in the field named file');
      return await this.store(t, sender, received.file, temp, fields);
    } finally {
      await this.storage.remove(temp);
    }
  }

  private async store(t: Tenant, sender: Uploader, upload: { name: string; size: number }, temp: string, fields: z.output<typeof uploadFields>) {
    const settings = await readFileSettings(this.db, t.companyId);
    if (upload.size > settings.maxBytes) throw fileTooLarge(settings.maxBytes);
    const sniffed = await sniffFile(temp, upload.name, settings.groups);
    if (!sniffed.ok) throw fieldError('file', 'file_type_not_allowed', sniffed.reason);
    const isImage = IMAGE_TYPES.has(sniffed.file.type);
    if (isImage && upload.size > settings.maxImageBytes) throw fileTooLarge(settings.maxImageBytes);

    const key = randomToken(24);
    const now = this.clock.now();
    const place = await this.storage.placeFor(t.companyId, key, now);
    let image: { width: number; height: number; size: number } | null = null;
    try {
      if (isImage) {
        image = await processImage(temp, sniffed.file.type, { image: this.storage.abs(place.file), thumb: this.storage.abs(place.thumb) }).catch((err) => {
          this.log.debug({ err: err?.message }, 'image refused');
          throw fieldError('file', 'file_type_not_allowed', 'The image cannot be decoded, or has more than 40 megapixels');
        });
      } else await this.storage.moveIn(temp, place.file);

      // A visitor's non-image file waits for an agent (CONV-FILE-16); images were re-encoded, so they pass.
      const held = sender.kind === 'visitor' && !!fields.conversationId && !isImage && !settings.autoAcceptVisitorFiles;
      const [row] = await t
        .insert('files', {
          key,
          conversation_id: fields.conversationId ?? null,
          uploader_kind: sender.kind,
          uploader_id: sender.kind === 'agent' ? sender.agentId : sender.visitorId,
          name: sniffed.file.name,
          mime: sniffed.file.mime,
          size: image?.size ?? upload.size,
          storage_path: place.file,
          thumb_path: image ? place.thumb : null,
          width: image?.width ?? null,
          height: image?.height ?? null,
          status: held ? 'held' : 'available',
          created_at: now,
        })
        .returning('*');
      const file = toFileView(row);
      if (!fields.conversationId) return { file, message: null, duplicate: false };
      const message = await this.post(t, Number(row.id), fields.conversationId, sender, file, fields.clientId).catch(async (err) => {
        await t.q('files').where({ id: row.id }).del();
        throw err;
      });
      return { file, message, duplicate: false };
    } catch (err) {
      await this.storage.remove(place.file, place.thumb);
      throw err;
    }
  }

  private async post(t: Tenant, fileId: number, conversationId: number, sender: Uploader, file: FileView, clientId: string = crypto.randomUUID()) {
    const payload = {
      fileKey: file.key,
      name: file.name,
      size: file.size,
      mime: file.mime,
      status: file.status,
      url: file.url,
      ...(file.thumbUrl ? { thumbUrl: file.thumbUrl, width: file.width, height: file.height } : {}),
    };
    const message = await this.conversations.send(t.companyId, conversationId, sender, { clientId, kind: file.kind, text: null, payload });
    await t.q('files').where({ id: fileId }).update({ message_id: message.id });
    return message;
  }

  /** A retried upload (same clientId) returns the first one instead of a second message (CONV-FILE-14). */
  private async retried(t: Tenant, conversationId: number, clientId: string) {
    const msg = await t.q('messages').where({ conversation_id: conversationId, client_id: clientId }).first();
    const key = msg?.payload?.fileKey;
    const row = typeof key === 'string' ? await t.q('files').where({ key }).first() : null;
    if (!msg || !row) return null;
    return { file: toFileView(row), message: toMessageView(msg), duplicate: true };
  }

  /** Checked before anything is stored: the same rule ConversationService.send applies afterwards. */
  private async assertCanPost(t: Tenant, conversationId: number, who: Uploader) {
    const conv = await t.q('conversations').where({ id: conversationId }).first('visitor_id', 'agent_id', 'status');
    const allowed = conv && (who.kind === 'visitor' ? Number(conv.visitor_id) === who.visitorId : Number(conv.agent_id) === who.agentId || who.isAdmin);
    if (!allowed) throw notFound('Conversation not found');
    if (conv.status === 'ended') throw conflict('conversation_ended', 'This conversation has ended');
  }
}
