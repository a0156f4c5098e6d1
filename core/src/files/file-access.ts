import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { sha256 } from '../infra/crypto.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { AppError, conflict, forbiddenCode, notFound, unauthorized } from '../http/errors.ts';
import { Tenant } from '../tenancy/tenant.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { ConversationService } from '../conversations/conversation-service.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import type { VisitorRef } from '../visitors/visitor-service.ts';
import { FileLinks, type FileVariant } from './file-links.ts';
import { FileStorage } from './file-storage.ts';
import { toFileView, type FileView } from './file-service.ts';
import { InternalFiles } from '../internal/internal-files.ts';

/** Keys are 32 base64url characters; anything else is answered 404 before touching the database. */
export const KEY_PATTERN = /^[A-Za-z0-9_-]{20,64}$/;

export interface Download {
  path: string;
  mime: string;
  name: string;
  size: number;
  inline: boolean;
}

/**
 * Who may see and decide on files: receive/refuse of visitors' files
 * (CONV-FILE-16), downloads for agents of the company or holders of a signed
 * link (CONV-FILE-15), and the widget's link renewal.
 */
@injectable()
export class FileAccess {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(FileStorage) private readonly storage: FileStorage,
    @inject(FileLinks) private readonly links: FileLinks,
    @inject(ConversationService) private readonly conversations: ConversationService,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(InternalFiles) private readonly internal: InternalFiles,
  ) {}

  /** The widget's caller: the company by its public ID and the server-issued visitor token. */
  async visitor(publicCompanyId: unknown, token: unknown): Promise<VisitorRef> {
    const publicId = Number(publicCompanyId);
    if (!Number.isSafeInteger(publicId) || typeof token !== 'string' || !token || token.length > 100) throw unauthorized('visitor_unknown', 'Unknown visitor');
    const row = await this.db('visitors as v')
      .join('companies as c', 'c.id', 'v.company_id')
      .where({ 'c.public_id': publicId, 'c.status': 'active', 'v.token_hash': sha256(token) })
      .first('v.id', 'v.company_id', 'v.number', 'v.channel');
    if (!row) throw unauthorized('visitor_unknown', 'Unknown visitor');
    return { id: Number(row.id), companyId: Number(row.company_id), number: Number(row.number), channel: row.channel };
  }

  async accept(auth: AuthInfo, key: string): Promise<FileView> {
    const row = await this.decidable(auth, key);
    if (row.status === 'available') return toFileView(row);
    const [updated] = await auth.tenant
      .q('files')
      .where({ id: row.id, status: 'held' })
      .update({ status: 'available', decided_at: this.clock.now(), decided_by: auth.agent.id })
      .returning('*');
    if (!updated) return this.accept(auth, key);
    await this.announce(auth.tenant, updated);
    return toFileView(updated);
  }

  /** Refusing deletes the file and tells the visitor (CONV-FILE-16). */
  async refuse(auth: AuthInfo, key: string): Promise<FileView> {
    const row = await this.decidable(auth, key);
    if (row.status === 'available') throw conflict('file_already_accepted', 'This file was already received');
    const [updated] = await auth.tenant
      .q('files')
      .where({ id: row.id, status: 'held' })
      .update({ status: 'refused', decided_at: this.clock.now(), decided_by: auth.agent.id })
      .returning('*');
    if (!updated) return this.refuse(auth, key);
    await this.storage.remove(updated.storage_path, updated.thumb_path);
    await this.announce(auth.tenant, updated);
    await this.conversations
      .send(
        auth.companyId,
        Number(updated.conversation_id),
        { kind: 'system' },
        {
          clientId: `file-refused:${updated.key}`,
          kind: 'system',
          text: 'The agent did not accept this file',
          payload: { event: 'file.refused', fileKey: updated.key, name: updated.name },
        },
      )
      .catch((err) => this.log.debug({ err: err?.message }, 'no refusal notice: conversation closed'));
    return toFileView(updated);
  }

  /** A held file of the agent's company, in a conversation the agent serves (or any, for admins). */
  private async decidable(auth: AuthInfo, key: string) {
    const row = KEY_PATTERN.test(key) ? await auth.tenant.q('files').where({ key }).first() : null;
    if (!row || row.status === 'refused') throw notFound('File not found');
    if (row.conversation_id == null) throw conflict('file_not_held', 'This file needs no decision');
    const conv = await auth.tenant.q('conversations').where({ id: row.conversation_id }).first('agent_id');
    if (!conv || (Number(conv.agent_id) !== auth.agent.id && auth.agent.role !== 'admin')) throw notFound('File not found');
    return row;
  }

  /** The message keeps the file's state, so a reload shows it; both sides are told now. */
  private async announce(t: Tenant, row: any) {
    if (row.message_id)
      await t
        .q('messages')
        .where({ id: row.message_id })
        .update({ payload: t.unscoped.raw('coalesce(payload, ?::jsonb) || ?::jsonb', ['{}', JSON.stringify({ status: row.status })]) });
    const event = {
      conversationId: Number(row.conversation_id),
      fileKey: row.key,
      status: row.status,
      messageId: row.message_id == null ? null : Number(row.message_id),
    };
    this.notifier.toAgents(rooms.conversation(event.conversationId), 'file.updated', event);
    this.notifier.toVisitors(rooms.conversation(event.conversationId), 'file.updated', event);
  }

  /**
   * A download: agents of the file's company by session, anyone else by a
   * signed link. Refused and unknown files are 404; held ones 409 for everyone.
   * A file sent in internal chat opens only for members of its thread (INTERNAL-FILES-5).
   */
  async open(key: string, variant: FileVariant, who: { agentCompanyId?: number; agentId?: number; exp?: unknown; sig?: unknown }): Promise<Download> {
    const row = KEY_PATTERN.test(key) ? await this.db('files').where({ key }).first() : null;
    if (!row || row.status === 'refused') throw notFound('File not found');
    const signed = this.links.check(key, variant, who.exp, who.sig);
    if (who.agentCompanyId !== Number(row.company_id) && signed !== 'valid') {
      if (who.agentCompanyId !== undefined && signed === 'absent') throw notFound('File not found');
      if (signed === 'expired') throw forbiddenCode('link_expired', 'This link has expired; ask for a new one');
      if (signed === 'invalid') throw forbiddenCode('link_invalid', 'This link is not valid');
      throw unauthorized('unauthenticated', 'Sign in or use a signed link');
    }
    if (
      row.internal_message_id &&
      !(who.agentId && (await this.internal.canOpen(new Tenant(this.db, Number(row.company_id)), who.agentId, Number(row.internal_message_id))))
    )
      throw notFound('File not found');
    if (row.status === 'held') throw conflict('file_not_accepted', 'The agent has not received this file yet');
    const rel = variant === 'thumb' ? row.thumb_path : row.storage_path;
    if (!rel) throw notFound('This file has no thumbnail');
    try {
      const size = await this.storage.sizeOf(rel);
      const inline = variant === 'thumb' || !!row.thumb_path;
      return { path: rel, mime: variant === 'thumb' ? 'image/webp' : row.mime, name: row.name, size, inline };
    } catch (err: any) {
      if (err?.code === 'ENOENT') throw new AppError(410, 'file_gone', 'The file is no longer stored');
      throw err;
    }
  }

  /** Fresh signed links for the visitor's own conversations (the widget renews them hourly). */
  async visitorLinks(visitor: VisitorRef, keys: string[]) {
    const t = new Tenant(this.db, visitor.companyId);
    const rows = await t
      .q('files as f')
      .join('conversations as c', 'c.id', 'f.conversation_id')
      .where({ 'c.visitor_id': visitor.id, 'f.status': 'available' })
      .whereIn(
        'f.key',
        keys.filter((k) => KEY_PATTERN.test(k)),
      )
      .select('f.key', 'f.thumb_path');
    return rows.map((r: { key: string; thumb_path: string | null }) => {
      const file = this.links.sign(r.key);
      return { key: r.key, url: file.url, ...(r.thumb_path ? { thumbUrl: this.links.sign(r.key, 'thumb').url } : {}), expiresAt: file.expiresAt };
    });
  }

  /** Signed links for the uploader's response (the widget shows its own image at once). */
  linksFor(file: FileView) {
    const signed = this.links.sign(file.key);
    return { url: signed.url, ...(file.thumbUrl ? { thumbUrl: this.links.sign(file.key, 'thumb').url } : {}), expiresAt: signed.expiresAt };
  }
}

/** RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
