import { inject, injectable } from '../infra/di.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS } from '../tokens.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { AuditService } from '../accounts/audit-service.ts';
import { FileStorage } from '../files/file-storage.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { conflict } from '../http/errors.ts';
import { filteredConversations } from './history-query.ts';
import { HistoryService } from './history-service.ts';

/**
 * HISTORY-DELETE-12: deletes visible, ended conversations with their messages, files, evaluations and
 * form submissions (the rows cascade from `conversations`); visitors, leave-messages and customer cards stay.
 */
@injectable()
export class HistoryDelete {
  constructor(
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(HistoryService) private readonly history: HistoryService,
    @inject(AuditService) private readonly audit: AuditService,
    @inject(HookRegistry) private readonly hooks: HookRegistry,
    @inject(FileStorage) private readonly files: FileStorage,
  ) {}

  async remove(auth: AuthInfo, ids: number[]): Promise<{ deleted: number[]; notFound: number[] }> {
    const t = auth.tenant;
    const rows = await filteredConversations(t, this.history.viewer(auth), { keywordIn: 'all' }, null)
      .whereIn('c.id', ids)
      .select<{ id: string; status: string }[]>('c.id', 'c.status');
    const ongoing = rows.filter((r) => r.status !== 'ended').map((r) => Number(r.id));
    if (ongoing.length) throw conflict('conversation_ongoing', 'Running conversations cannot be deleted; end them first', { conversationIds: ongoing });
    const deleted = rows.map((r) => Number(r.id));
    const paths = await t.transaction(async (trx) => {
      if (!deleted.length) return [];
      const files = await trx.q('files').whereIn('conversation_id', deleted).select('storage_path', 'thumb_path');
      await trx.q('files').whereIn('conversation_id', deleted).delete();
      await trx.q('conversations').whereIn('id', deleted).delete();
      // IDs and count only: the audit log never keeps what was said.
      await this.audit.write(trx, { actor: auth.agent.id, action: 'history.delete', target: 'conversations', old: { ids: deleted, count: deleted.length } });
      return files.flatMap((f: any) => [f.storage_path, f.thumb_path]);
    });
    if (deleted.length) {
      await this.files.remove(...paths).catch((err) => this.log.warn({ err }, 'removing files of deleted conversations failed'));
      void this.hooks
        .emit('conversation.deleted', { conversationIds: deleted }, { companyId: auth.companyId, actor: { kind: 'agent', id: auth.agent.id } })
        .catch((err) => this.log.error({ err }, 'conversation.deleted failed'));
    }
    const found = new Set(deleted);
    return { deleted, notFound: ids.filter((id) => !found.has(id)) };
  }
}
