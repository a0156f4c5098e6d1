import { inject, injectable } from '../infra/di.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { conflict, notFound } from '../http/errors.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { reorderRows } from './tool-groups.ts';

/** New companies start with these (CHATSET-TOPICS-4). */
const DEFAULT_TOPICS = ['售前咨询', '售后服务', '投诉建议', '技术支持', '其他'];
const MAX_TOPICS = 100;

interface TopicView {
  id: number;
  name: string;
  position: number;
  isDefault: boolean;
  deleted: boolean;
}

const toView = (r: any): TopicView => ({ id: Number(r.id), name: r.name, position: r.position, isDefault: !!r.is_default, deleted: r.deleted_at != null });
const taken = () =>
  conflict('topic_exists', 'A topic with this name already exists', { fields: [{ path: 'name', code: 'topic_exists', message: 'Name in use' }] });

/**
 * Conversation topics (CHATSET-TOPICS-4, CHATSET-TOPICDEFAULT-5): the list the
 * evaluation form offers. Deleted topics stay, marked, so past conversations
 * and reports keep them; conversations store the topic's name, so a rename
 * renames it on them too.
 */
@injectable()
export class TopicService {
  constructor(@inject(TOKENS.Clock) private readonly clock: Clock) {}

  async list(t: Tenant, includeDeleted = false): Promise<TopicView[]> {
    await this.seed(t);
    const q = t.q('conversation_topics').orderBy([{ column: 'position' }, { column: 'id' }]);
    if (!includeDeleted) q.whereNull('deleted_at');
    return (await q).map(toView);
  }

  /** The first look at a company's topics creates the defaults; the name index makes a concurrent first look harmless. */
  private async seed(t: Tenant) {
    if (await t.q('conversation_topics').first('id')) return;
    const now = this.clock.now();
    await t
      .insert(
        'conversation_topics',
        DEFAULT_TOPICS.map((name, position) => ({ name, position, created_at: now })),
      )
      .onConflict()
      .ignore();
  }

  async create(auth: AuthInfo, name: string) {
    const t = auth.tenant;
    const live = await this.list(t);
    if (live.length >= MAX_TOPICS) throw conflict('too_many_topics', `At most ${MAX_TOPICS} topics`);
    try {
      const [row] = await t
        .insert('conversation_topics', { name, position: Math.max(-1, ...live.map((x) => x.position)) + 1, created_at: this.clock.now() })
        .returning('*');
      return toView(row);
    } catch (err: any) {
      if (err?.code === '23505') throw taken();
      throw err;
    }
  }

  async update(auth: AuthInfo, id: number, patch: { name?: string; isDefault?: boolean }) {
    const before = await this.live(auth.tenant, id);
    return auth.tenant.transaction(async (t) => {
      if (patch.isDefault) await t.q('conversation_topics').where({ is_default: true }).update({ is_default: false });
      if (patch.name !== undefined && patch.name !== before.name) {
        try {
          await t.q('conversation_topics').where({ id }).update({ name: patch.name });
        } catch (err: any) {
          if (err?.code === '23505') throw taken();
          throw err;
        }
        await t.q('conversations').where({ topic: before.name }).update({ topic: patch.name });
      }
      if (patch.isDefault !== undefined) await t.q('conversation_topics').where({ id }).update({ is_default: patch.isDefault });
      return toView(await t.q('conversation_topics').where({ id }).first());
    });
  }

  /** Hidden from new evaluations, kept for the past; deleting the default clears it; the last one stays. */
  async remove(auth: AuthInfo, id: number) {
    await this.live(auth.tenant, id);
    if ((await this.list(auth.tenant)).length <= 1) throw conflict('last_topic', 'The last topic cannot be deleted');
    await auth.tenant.q('conversation_topics').where({ id }).update({ deleted_at: this.clock.now(), is_default: false });
  }

  async reorder(auth: AuthInfo, ids: number[]) {
    await reorderRows(auth.tenant, 'conversation_topics', ids, (q) => q.whereNull('deleted_at'));
    return this.list(auth.tenant);
  }

  private async live(t: Tenant, id: number) {
    const row = await t.q('conversation_topics').where({ id }).whereNull('deleted_at').first();
    if (!row) throw notFound('Topic not found');
    return row;
  }
}
