/**
 * AVATAR-RENDER-3: with window avatars on, the header shows the serving
 * agent's picture and each message group its sender's 36 px avatar; with
 * them off the config has none and nothing here requests an image.
 */
import { el } from './view.ts';
import './avatars.css';

/** What the server sends while avatars are on (core/src/avatars/avatar-service.ts WidgetAvatars). */
export interface AvatarConfig {
  agent: { source: 'console' | 'custom'; url: string | null };
  visitorUrl: string | null;
  robotUrl: string | null;
}

let on: AvatarConfig | null = null;
let company = '';
const agents = new Map<string, Promise<string | null>>();
// Built-in pictures: a person for the visitor, a robot face for the assistant.
const BUILT_IN = {
  visitor: '<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="9" r="4"/><path d="M4 21a8 8 0 0 1 16 0z"/></svg>',
  plugin: '<svg viewBox="0 0 24 24" aria-hidden="true"><rect x="4" y="7" width="16" height="12" rx="3"/><path d="M12 3v4"/><circle cx="9" cy="13" r="1.5" fill="#fff"/><circle cx="15" cy="13" r="1.5" fill="#fff"/></svg>',
};

function agentUrl(id: string): Promise<string | null> {
  if (on?.agent.source === 'custom') return Promise.resolve(on.agent.url);
  let url = agents.get(id);
  if (!url) {
    url = fetch(`/api/widget/agents/${encodeURIComponent(id)}/avatar?c=${encodeURIComponent(company)}`)
      .then((r) => (r.ok ? r.json() : null))
      .then((d: { url: string | null } | null) => d?.url ?? null)
      .catch(() => null);
    agents.set(id, url);
  }
  return url;
}

/** A picture, or the name's first letter on the theme colour. */
function paint(box: HTMLElement, url: string | null, name: string) {
  if (url) {
    const img = document.createElement('img');
    img.src = url;
    img.alt = '';
    box.replaceChildren(img);
  } else box.textContent = [...name][0]?.toUpperCase() ?? '';
}

export function useAvatars(config: object | null, companyId: string) {
  on = (config as { avatars?: AvatarConfig | null } | null)?.avatars ?? null;
  company = companyId;
  el.list.classList.toggle('faces', !!on);
  faces();
}

/** The header's avatar for the serving agent (view.ts setAgent draws the initial first). */
export function showServing(agentId: number | null, name: string | null) {
  el.avatar.dataset.agent = agentId ? String(agentId) : '';
  if (!on || !agentId || !name) return;
  void agentUrl(String(agentId)).then((url) => {
    if (url && el.avatar.dataset.agent === String(agentId)) paint(el.avatar, url, name);
  });
}

/** The first row of each run of messages from one sender gets the sender's face. */
function faces() {
  let prev = '';
  for (const li of el.list.querySelectorAll<HTMLElement>('.msg')) {
    const kind = ['agent', 'visitor', 'plugin'].find((k) => li.classList.contains(k));
    const who = kind ? `${kind}:${li.dataset.sender ?? ''}` : '';
    const first = !!on && !!kind && who !== prev;
    prev = who;
    const face = li.querySelector<HTMLElement>(':scope > .face');
    if (!first) {
      face?.remove();
      continue;
    }
    if (face?.dataset.who === who) continue;
    const box = document.createElement('span');
    box.className = 'face';
    box.dataset.who = who;
    face?.remove();
    li.prepend(box);
    const name = li.querySelector('.name')?.textContent ?? '';
    if (kind === 'agent') void agentUrl(li.dataset.sender ?? '').then((url) => paint(box, url, name));
    else {
      const url = kind === 'visitor' ? on!.visitorUrl : on!.robotUrl;
      if (url) paint(box, url, name);
      else box.innerHTML = BUILT_IN[kind as 'visitor' | 'plugin']; // static markup, no data
    }
  }
}

new MutationObserver(faces).observe(el.list, { childList: true });
