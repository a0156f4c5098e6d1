/**
 * Rich message parts: cards with buttons (the robot's "did you mean" and hand-over
 * cards, plugins' cards) and clickable links in what agents write. Everything is
 * built with DOM calls and textContent; only http(s) addresses become links,
 * for a card button's `url` as for addresses in text.
 */

/**
 * A card button: with a `url`, a link that opens the page in a new tab; otherwise (the robot's `robot.ask`,
 * `robot.handover`) a click sends its label, which the plugin reads as the choice.
 */
interface CardButton {
  label: string;
  url?: unknown;
}

let sendLabel: (text: string) => Promise<unknown> = async () => undefined;
export const onCardButton = (fn: typeof sendLabel) => (sendLabel = fn);

const safeUrl = (s: string): string | null => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
};

function link(href: string, text: string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  a.textContent = text;
  return a;
}

// Trailing punctuation is usually the sentence's, not the address's.
const URLS = /https?:\/\/[^\s<>"'，。！？、）)]+[^\s<>"'，。！？、）).,;:!?]/g;

/** The text with each http(s) address as a link that opens in a new tab. */
export function linkify(box: HTMLElement, text: string) {
  const parts: (Node | string)[] = [];
  let at = 0;
  for (const m of text.matchAll(URLS)) {
    const href = safeUrl(m[0]);
    if (!href) continue;
    parts.push(text.slice(at, m.index), link(href, m[0]));
    at = m.index + m[0].length;
  }
  parts.push(text.slice(at));
  box.replaceChildren(...parts);
}

const buttonsOf = (payload: Record<string, unknown> | null | undefined): CardButton[] =>
  (Array.isArray(payload?.buttons) ? payload.buttons : [])
    .filter((b): b is CardButton => !!b && typeof b === 'object' && typeof (b as CardButton).label === 'string' && !!(b as CardButton).label)
    .slice(0, 10);

/** A URL button as a link; null when its address is not http(s) (the server refuses those, but an old or forged message must not run script). */
function linkButton(b: CardButton): HTMLAnchorElement | null {
  const href = typeof b.url === 'string' ? safeUrl(b.url) : null;
  if (!href) return null;
  const a = link(href, b.label);
  a.className = 'card-button card-link';
  return a;
}

function answerButton(b: CardButton): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'card-button';
  button.textContent = b.label;
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await sendLabel(b.label);
    } catch {
      /* the message row says it was not sent */
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

export function drawCard(box: HTMLElement, text: string | null, payload: Record<string, unknown> | null | undefined) {
  const body = document.createElement('p');
  body.className = 'card-text';
  linkify(body, text ?? '');
  const actions = document.createElement('div');
  actions.className = 'card-buttons';
  for (const b of buttonsOf(payload)) {
    const button = b.url === undefined ? answerButton(b) : linkButton(b);
    if (button) actions.append(button);
  }
  box.replaceChildren(body, actions);
}
