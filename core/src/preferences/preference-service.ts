import type { z } from 'zod';
import { inject, injectable } from '../infra/di.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { validationFailed, type FieldProblem } from '../http/errors.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { DEFAULT_PREFERENCES, type Preferences, type Section, type preferencesPatch } from './preference-schemas.ts';

/** Browser-reserved combinations a page cannot take over (OTHERSET-SHORTCUTS-7). */
const RESERVED = new Set([
  'Ctrl+W',
  'Ctrl+T',
  'Ctrl+N',
  'Ctrl+L',
  'Ctrl+R',
  'Ctrl+TAB',
  'Meta+W',
  'Meta+T',
  'Meta+N',
  'Meta+L',
  'Meta+R',
  'Meta+TAB',
  'Alt+F4',
]);
const MODIFIERS = ['Ctrl', 'Alt', 'Shift', 'Meta'];

/** `alt+z`, `Z+Alt` → `Alt+Z`: one spelling, so conflicts are found however they were typed. */
export function normalizeCombo(combo: string) {
  const parts = combo.split('+').map((p) => p.trim());
  const mods = MODIFIERS.filter((m) => parts.some((p) => p.toLowerCase() === m.toLowerCase()));
  const key = parts.find((p) => !MODIFIERS.some((m) => m.toLowerCase() === p.toLowerCase()))?.toUpperCase() ?? '';
  return [...mods, key].join('+');
}

const clone = <T>(v: T): T => structuredClone(v);
const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Fields replace, maps (sound per event, column widths) merge: a patch names only what it changes. */
function merge(target: Record<string, unknown>, patch: Record<string, unknown>) {
  for (const [k, v] of Object.entries(patch)) target[k] = isMap(v) && isMap(target[k]) ? { ...target[k], ...v } : v;
}

/**
 * Personal settings of §10.1 (DISPLAY-*, OTHERSET-*), one document per agent on
 * the server so they follow the agent to any browser. Every change is pushed as
 * `preferences.changed {preferences, version}` to all of the agent's consoles.
 */
@injectable()
export class PreferenceService {
  constructor(@inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier) {}

  async get(auth: AuthInfo) {
    const row = await auth.tenant.q('agent_preferences').where({ agent_id: auth.agent.id }).first();
    return { preferences: this.withDefaults(row?.prefs ?? {}), version: row?.version ?? 0 };
  }

  async patch(auth: AuthInfo, patch: z.infer<typeof preferencesPatch>) {
    return this.save(auth, (cur) => {
      for (const [section, value] of Object.entries(patch) as [Section, Record<string, unknown>][]) {
        if (!value) continue;
        if (section === 'shortcuts') for (const [k, v] of Object.entries(value)) value[k] = normalizeCombo(String(v));
        merge(cur[section], value);
      }
      this.check(auth, cur, Object.keys(patch.shortcuts ?? {}));
    });
  }

  /** 恢复默认设置 for one section (DISPLAY-SETTINGS-1). */
  async reset(auth: AuthInfo, section: Section) {
    return this.save(auth, (cur) => {
      (cur as Record<Section, unknown>)[section] = clone(DEFAULT_PREFERENCES[section]);
    });
  }

  private async save(auth: AuthInfo, change: (cur: Preferences) => void) {
    const result = await auth.tenant.transaction(async (t) => {
      const row = await t.q('agent_preferences').where({ agent_id: auth.agent.id }).forUpdate().first();
      const cur = this.withDefaults(row?.prefs ?? {});
      change(cur);
      const version = (row?.version ?? 0) + 1;
      const prefs = JSON.stringify(cur);
      if (row) await t.q('agent_preferences').where({ agent_id: auth.agent.id }).update({ prefs, version, updated_at: t.unscoped.fn.now() });
      else await t.insert('agent_preferences', { agent_id: auth.agent.id, prefs, version });
      return { preferences: cur, version };
    });
    this.notifier.toAgents(rooms.agent(auth.agent.id), 'preferences.changed', result);
    return result;
  }

  /** Stored documents may predate a field: every section is completed from the defaults. */
  private withDefaults(stored: Partial<Preferences>): Preferences {
    const out = clone(DEFAULT_PREFERENCES);
    for (const section of Object.keys(out) as Section[]) if (stored[section]) Object.assign(out[section], stored[section]);
    return out;
  }

  /** `changed`: the shortcuts just set, checked last so a conflict is reported on them. */
  private check(auth: AuthInfo, p: Preferences, changed: string[]) {
    const problems: FieldProblem[] = [];
    if (p.status.afterLogin === 'invisible' && auth.agent.role !== 'admin')
      problems.push({ path: 'status.afterLogin', code: 'admins_only', message: 'Only administrators may start invisible' });
    if (!p.display.columns.some((c) => (c.key === 'visitorId' || c.key === 'name') && c.shown))
      problems.push({ path: 'display.columns', code: 'column_required', message: 'Show at least one of 访客ID and 姓名' });
    const seen = new Map<string, string>();
    const entries = Object.entries(p.shortcuts).sort(([a], [b]) => Number(changed.includes(a)) - Number(changed.includes(b)));
    for (const [action, combo] of entries) {
      const path = `shortcuts.${action}`;
      if (!/^(Ctrl|Alt|Meta)\+/.test(combo))
        problems.push({ path, code: 'shortcut_modifier_required', message: 'Use Ctrl, Alt or ⌘ in the combination; a plain key would fire while typing' });
      else if (RESERVED.has(combo)) problems.push({ path, code: 'shortcut_reserved', message: `${combo} is reserved by the browser` });
      else if (seen.has(combo)) problems.push({ path, code: 'shortcut_conflict', message: `${combo} is already used by ${seen.get(combo)}` });
      seen.set(combo, action);
    }
    if (problems.length) throw validationFailed(problems);
  }
}
