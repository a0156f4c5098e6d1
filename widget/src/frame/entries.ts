/**
 * ICON-GROUP-6: a group icon's entries (groups and agents, in the icon's order)
 * as the first screen, each with its online state; the visitor picks whom to
 * talk to and the chat request (or, for an offline entry, the leave-message) is
 * scoped to that group or agent.
 */
import { inLang, type WidgetConfig } from './config.ts';
import { t } from './i18n.ts';
import { el } from './view.ts';

export type Entry = NonNullable<NonNullable<WidgetConfig['icon']>['entries']>[number];

export function drawEntries(config: WidgetConfig, pick: (entry: Entry) => void) {
  const list = document.createElement('div');
  list.className = 'entries';
  list.setAttribute('role', 'group');
  list.setAttribute('aria-label', t('chooseEntry'));
  for (const entry of config.icon?.entries ?? []) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'entry';
    b.dataset.online = String(entry.online);
    const state = Object.assign(document.createElement('span'), { className: 'entry-state', textContent: t(entry.online ? 'entryOnline' : 'entryOffline') });
    b.append(inLang(entry.name) ?? '', state);
    b.addEventListener('click', () => pick(entry));
    list.append(b);
  }
  const title = Object.assign(document.createElement('p'), { textContent: t('chooseEntry') });
  el.startBody.replaceChildren(title, list);
}
