/**
 * ICON-GROUP-6: a group icon's entries as the first screen, each with its
 * online state; the visitor picks whom to talk to and the chat request (or, for
 * an offline entry, the leave-message) is scoped to that group.
 */
import { inLang, type WidgetConfig } from './config.ts';
import { t } from './i18n.ts';
import { el } from './view.ts';

export function drawEntries(config: WidgetConfig, pick: (groupId: number, online: boolean) => void) {
  const list = document.createElement('div');
  list.className = 'entries';
  list.setAttribute('role', 'group');
  list.setAttribute('aria-label', t('chooseEntry'));
  for (const entry of config.icon?.entries ?? []) {
    if (entry.kind !== 'group') continue;
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'entry';
    b.dataset.online = String(entry.online);
    const state = Object.assign(document.createElement('span'), { className: 'entry-state', textContent: t(entry.online ? 'entryOnline' : 'entryOffline') });
    b.append(inLang(entry.name) ?? '', state);
    b.addEventListener('click', () => pick(entry.id, entry.online));
    list.append(b);
  }
  const title = Object.assign(document.createElement('p'), { textContent: t('chooseEntry') });
  el.startBody.replaceChildren(title, list);
}
