import crypto from 'node:crypto';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { randomToken } from '../infra/crypto.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { conflict, fieldError, notFound } from '../http/errors.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { ConversationService, type Sender } from '../conversations/conversation-service.ts';
import { toMessageView } from '../conversations/conversation-mapper.ts';
import { readFileSettings } from '../files/file-settings.ts';
import { FileStorage } from '../files/file-storage.ts';
import { sniffFile } from '../files/file-types.ts';
import { fileTooLarge } from '../files/multipart-upload.ts';
import { toFileView } from '../files/file-service.ts';
import type { MessageView } from '../protocol/message-schemas.ts';
import { ToolItemService } from './tool-items.ts';

const agentSender = (auth: AuthInfo): Sender => ({
  kind: 'agent',
  agentId: auth.agent.id,
  nickname: auth.agent.nickname,
  isAdmin: auth.agent.role === 'admin',
});

/**
 * Pushes a common link (WORKBENCH-LINKS-4) or common file (WORKBENCH-FILES-5)
 * into a conversation through the ordinary send path, so hooks, sequence
 * numbers and retries behave as for typed messages.
 */
@injectable()
export class ToolSender {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(FileStorage) private readonly storage: FileStorage,
    @inject(ToolItemService) private readonly items: ToolItemService,
    @inject(ConversationService) private readonly conversations: ConversationService,
  ) {}

  async sendLink(auth: AuthInfo, id: number, to: { conversationId: number; clientId?: string }): Promise<MessageView> {
    const link = await this.items.find(auth, 'link', id);
    return this.conversations.send(auth.companyId, to.conversationId, agentSender(auth), {
      clientId: to.clientId ?? crypto.randomUUID(),
      kind: 'link',
      // Text for clients that only show text; the payload for those that draw a link card.
      text: `${link.title}\n${link.url}`,
      payload: { title: link.title, url: link.url },
    });
  }

  /**
   * The message gets a files row of its own (new key, same stored bytes), so
   * the visitor's signed links work and replacing or deleting the common file
   * never breaks it; the file-type rules in force now apply (CONV-FILE-14).
   */
  async sendFile(auth: AuthInfo, id: number, to: { conversationId: number; clientId?: string }): Promise<MessageView> {
    const entry = await this.items.find(auth, 'file', id);
    const t = auth.tenant;
    const clientId = to.clientId ?? crypto.randomUUID();
    await this.assertServing(t, auth, to.conversationId);
    const again = await t.q('messages').where({ conversation_id: to.conversationId, client_id: clientId }).first();
    if (again) return toMessageView(again);

    const source = await t.q('files').where({ id: entry.file_id }).first();
    const settings = await readFileSettings(this.db, t.companyId);
    if (Number(source.size) > (source.thumb_path ? settings.maxImageBytes : settings.maxBytes)) throw fileTooLarge(settings.maxBytes);
    const sniffed = await sniffFile(this.storage.abs(source.storage_path), source.name, settings.groups);
    if (!sniffed.ok) throw fieldError('file', 'file_type_not_allowed', sniffed.reason);

    const { id: _id, key: _key, message_id: _m, decided_at: _d, decided_by: _b, company_id: _c, ...copy } = source;
    const [row] = await t
      .insert('files', {
        ...copy,
        key: randomToken(24),
        conversation_id: to.conversationId,
        uploader_kind: 'agent',
        uploader_id: auth.agent.id,
        created_at: this.clock.now(),
      })
      .returning('*');
    const file = toFileView(row);
    try {
      const message = await this.conversations.send(auth.companyId, to.conversationId, agentSender(auth), {
        clientId,
        kind: file.kind,
        text: null,
        payload: {
          fileKey: file.key,
          name: file.name,
          size: file.size,
          mime: file.mime,
          status: file.status,
          url: file.url,
          ...(file.thumbUrl ? { thumbUrl: file.thumbUrl, width: file.width, height: file.height } : {}),
        },
      });
      await t.q('files').where({ id: row.id }).update({ message_id: message.id });
      return message;
    } catch (err) {
      await t.q('files').where({ id: row.id }).del();
      throw err;
    }
  }

  /** Only into a conversation the agent has accepted (or any, for admins), before anything is stored. */
  private async assertServing(t: Tenant, auth: AuthInfo, conversationId: number) {
    const conv = await t.q('conversations').where({ id: conversationId }).first('agent_id', 'status');
    if (!conv || (Number(conv.agent_id) !== auth.agent.id && auth.agent.role !== 'admin')) throw notFound('Conversation not found');
    if (conv.status !== 'active') throw conflict('conversation_not_active', 'The conversation is not active');
  }
}
