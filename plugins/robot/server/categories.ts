import { conflict, fieldError, notFound } from '@kefu/core/plugin';
import type { KnowledgeBase } from './kb.ts';
import type { RobotStore } from './store.ts';

export const MAX_CATEGORIES = 500;
export const MAX_DEPTH = 3;

type Row = { id: number; parentId: number | null; name: string; kind: string; sort: number };

/**
 * Knowledge categories (ROBOT-CATEGORY-3): a tree up to 3 levels, names unique among siblings,
 * 寒暄库 protected from deletion, and a category holding entries deleted only with a target for them.
 */
export class Categories {
  constructor(
    private readonly store: RobotStore,
    private readonly kb: KnowledgeBase,
  ) {}

  async create(companyId: number, body: { name: string; parentId?: number | null; sort?: number }): Promise<{ id: number }> {
    const all = await this.store.categories(companyId);
    if (all.length >= MAX_CATEGORIES) throw conflict('category_limit', `At most ${MAX_CATEGORIES} categories`);
    const parentId = body.parentId ?? null;
    this.checkPlace(all, null, parentId, 0);
    this.checkName(all, null, parentId, body.name);
    const sort = body.sort ?? Math.max(-1, ...all.filter((c) => c.parentId === parentId).map((c) => c.sort)) + 1;
    const [r] = await this.store.t(companyId).insert('robot_categories', { name: body.name, parent_id: parentId, sort }).returning('id');
    return { id: Number(r.id) };
  }

  async update(companyId: number, id: number, body: { name?: string; parentId?: number | null; sort?: number }) {
    const all = await this.store.categories(companyId);
    const me = all.find((c) => c.id === id);
    if (!me) throw notFound('Category not found');
    const parentId = body.parentId === undefined ? me.parentId : body.parentId;
    if (parentId !== me.parentId) this.checkPlace(all, id, parentId, this.height(all, id));
    this.checkName(all, id, parentId, body.name ?? me.name);
    const row: Record<string, unknown> = { parent_id: parentId };
    if (body.name) row.name = body.name;
    if (body.sort !== undefined) row.sort = body.sort;
    await this.store.t(companyId).q('robot_categories').where({ id }).update(row);
    return { ok: true };
  }

  /** Deletes a category and its sub-categories; their entries go to `moveTo`, which is required if there are any. */
  async remove(companyId: number, id: number, moveTo?: number) {
    const all = await this.store.categories(companyId);
    const me = all.find((c) => c.id === id);
    if (!me) throw notFound('Category not found');
    const subtree = this.subtree(all, id);
    if (subtree.some((c) => c.kind === 'smalltalk')) throw conflict('category_protected', '寒暄库 cannot be deleted');
    const ids = subtree.map((c) => c.id);
    if (moveTo !== undefined && (ids.includes(moveTo) || !all.some((c) => c.id === moveTo)))
      throw fieldError('moveTo', 'unknown_category', 'Choose a category outside the one being deleted');
    await this.store.t(companyId).transaction(async (t) => {
      const held = await t.q('robot_entries').whereIn('category_id', ids).first('id');
      if (held && moveTo === undefined) throw conflict('category_not_empty', 'Choose a category for its entries');
      if (held) await t.q('robot_entries').whereIn('category_id', ids).update({ category_id: moveTo });
      await t.q('robot_categories').whereIn('id', ids).delete();
    });
    await this.kb.changed(companyId);
  }

  private checkPlace(all: Row[], id: number | null, parentId: number | null, height: number) {
    if (parentId === null) return;
    const parent = all.find((c) => c.id === parentId);
    if (!parent) throw fieldError('parentId', 'unknown_category', 'No such parent category');
    if (id !== null && this.subtree(all, id).some((c) => c.id === parentId))
      throw fieldError('parentId', 'category_cycle', 'A category cannot move under itself');
    if (this.depth(all, parentId) + 1 + height > MAX_DEPTH) throw fieldError('parentId', 'category_too_deep', `At most ${MAX_DEPTH} levels`);
  }

  private checkName(all: Row[], id: number | null, parentId: number | null, name: string) {
    const taken = all.some((c) => c.id !== id && c.parentId === parentId && c.name.toLowerCase() === name.toLowerCase());
    if (taken) throw fieldError('name', 'duplicate_name', 'Another category at this level has that name');
  }

  /** Levels from the root down to and including `id`. */
  private depth(all: Row[], id: number): number {
    let d = 0;
    for (let c = all.find((x) => x.id === id); c; c = all.find((x) => x.id === c!.parentId)) d++;
    return d;
  }

  /** Levels below `id` (0 for a leaf). */
  private height(all: Row[], id: number): number {
    const children = all.filter((c) => c.parentId === id);
    return children.length ? 1 + Math.max(...children.map((c) => this.height(all, c.id))) : 0;
  }

  private subtree(all: Row[], id: number): Row[] {
    const out = all.filter((c) => c.id === id);
    for (let i = 0; i < out.length; i++) out.push(...all.filter((c) => c.parentId === out[i].id));
    return out;
  }
}
