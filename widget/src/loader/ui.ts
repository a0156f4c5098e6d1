/** The floating button and the chat panel, drawn in a shadow root so the host page's CSS cannot reach them. */

const CSS = `
:host{all:initial}
*{box-sizing:border-box}
.btn{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;margin:0;padding:0;cursor:pointer;
 background:#1677ff;color:#fff;box-shadow:0 4px 16px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;z-index:2147483000}
.btn:focus-visible{outline:3px solid #91caff;outline-offset:2px}
.btn svg{width:28px;height:28px;fill:currentColor}
.badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;padding:0 5px;border-radius:10px;background:#f5222d;color:#fff;
 font:600 12px/20px system-ui,sans-serif;text-align:center}
.badge[hidden]{display:none}
.panel{position:fixed;right:20px;bottom:88px;width:370px;height:min(580px,calc(100vh - 110px));border-radius:12px;overflow:hidden;
 background:#fff;box-shadow:0 8px 32px rgba(0,0,0,.25);z-index:2147483001;display:none}
.panel.open{display:block}
.panel iframe{width:100%;height:100%;border:0;display:block}
@media (max-width:600px){.panel{right:0;bottom:0;width:100vw;height:100vh;height:100dvh;border-radius:0}}
`;

const ICON = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';

export interface WidgetUi {
  button: HTMLButtonElement;
  panel: HTMLDivElement;
  setLabel(text: string): void;
  setUnread(n: number): void;
  setOpen(open: boolean): void;
  /** Creates the iframe on first use. */
  frame(src: string, title: string): HTMLIFrameElement;
}

export function drawUi(onClick: () => void): WidgetUi {
  const host = document.createElement('kefu-widget');
  // Inline !important beats any page rule aimed at the host element itself.
  host.setAttribute('style', 'all:initial!important;position:fixed!important;display:block!important;width:0!important;height:0!important;right:0!important;bottom:0!important;z-index:2147483000!important');
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = CSS;
  const button = document.createElement('button');
  button.className = 'btn';
  button.type = 'button';
  button.setAttribute('part', 'button');
  button.setAttribute('aria-haspopup', 'dialog');
  button.setAttribute('aria-expanded', 'false');
  button.innerHTML = ICON; // static markup, no data
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.hidden = true;
  button.appendChild(badge);
  button.addEventListener('click', onClick);
  const panel = document.createElement('div');
  panel.className = 'panel';
  panel.setAttribute('role', 'dialog');
  root.append(style, panel, button);
  document.body.appendChild(host);
  let iframe: HTMLIFrameElement | null = null;
  return {
    button,
    panel,
    setLabel(text) {
      button.setAttribute('aria-label', text);
      button.title = text;
      panel.setAttribute('aria-label', text);
    },
    setUnread(n) {
      badge.hidden = n <= 0;
      badge.textContent = n > 99 ? '99+' : String(n);
    },
    setOpen(open) {
      panel.classList.toggle('open', open);
      button.setAttribute('aria-expanded', String(open));
    },
    frame(src, title) {
      if (!iframe) {
        iframe = document.createElement('iframe');
        iframe.title = title;
        iframe.allow = 'clipboard-write';
        iframe.src = src;
        panel.appendChild(iframe);
      }
      return iframe;
    },
  };
}
