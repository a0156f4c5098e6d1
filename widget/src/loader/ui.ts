/** The chat icon and the chat panel, drawn in a shadow root so the host page's CSS cannot reach them (the invitation is invite.js). */

// One string without line breaks (terser joins the pieces): every byte of the loader counts.
const CSS =
  ':host{all:initial}' +
  '*{box-sizing:border-box}' +
  '.btn{position:fixed;right:var(--mx);bottom:var(--my);width:var(--s);height:var(--s);border-radius:50%;border:0;margin:0;padding:0;cursor:pointer;background:var(--c);color:var(--t);box-shadow:0 4px 16px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;gap:6px;z-index:2147483000;font:600 14px/1 system-ui,sans-serif}' +
  '.left .btn{right:auto;left:var(--mx)}' +
  '.mid .btn{bottom:50%}' +
  '[hidden]{display:none!important}' +
  '.text .btn{width:auto;height:44px;border-radius:22px;padding:0 18px}' +
  '.fixed .btn{position:static;display:inline-flex;width:auto;height:40px;border-radius:20px;padding:0 16px}' +
  '.btn[data-state=offline]{background:#8c959f}' +
  '.btn:focus-visible{outline:3px solid #91caff;outline-offset:2px}' +
  '.btn svg{width:28px;height:28px;fill:currentColor}' +
  '.text .btn svg,.fixed .btn svg{width:20px;height:20px}' +
  '.btn span:empty{display:none}' +
  '.img .btn{width:auto;height:auto;padding:0;background:none;box-shadow:none}.img svg,.img span:not(.badge){display:none}' +
  '.badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;padding:0 5px;border-radius:10px;background:#f5222d;color:#fff;font:600 12px/20px system-ui,sans-serif;text-align:center}' +
  '.panel{position:fixed;right:var(--mx);bottom:calc(var(--my) + 68px);width:min(var(--w),calc(100vw - 2*var(--mx)));min-width:300px;height:min(var(--h),calc(100vh - var(--my) - 90px));min-height:360px;border-radius:12px;overflow:hidden;background:#fff;box-shadow:0 8px 32px rgba(0,0,0,.25);z-index:2147483001;display:none}' +
  '.left .panel{right:auto;left:var(--mx)}' +
  '.panel.open{display:block}' +
  '.panel iframe{width:100%;height:100%;border:0;display:block}' +
  '@media (max-width:600px){.panel{inset:0!important;width:100vw;height:100vh;height:100dvh;border-radius:0}}';

/** One icon's static markup (no data): the button with its picture, its shown text and its unread badge. */
const ICON =
  '<button class=btn type=button part=button aria-haspopup=dialog aria-expanded=false><svg viewBox="0 0 24 24" aria-hidden=true><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg><span></span><span class=badge hidden></span></button>';

export interface Look {
  type: 'float' | 'fixed' | 'text';
  color: string;
  /** WINDOW-BRAND-6: the text colour on `color`, chosen by the server for contrast. */
  text?: string;
  left: boolean;
  marginX: number;
  marginY: number;
  /** Phones (MOBILE-ICON-2): the round icon's size, and the middle of the side instead of the corner. */
  size?: number;
  mid?: boolean;
  width: number;
  height: number;
  /** ICON-IMAGE-4: uploaded pictures replacing the drawn button: for the icon's state while serving (online or busy), and offline. */
  img?: [string, string];
}

/** One drawn chat icon (ICON-RENDER-8): a page may hold several, each in its own positioned wrapper. */
export interface Icon {
  button: HTMLButtonElement;
  /** Removes the icon (an unknown or deleted key). */
  drop(): void;
  setLabel(text: string, shown: string): void;
  setOnline(online: boolean): void;
  setLook(look: Look): void;
}

export interface WidgetUi {
  add(key: string, onClick: () => void): Icon;
  /** The badge of every icon. */
  setUnread(n: number): void;
  /** Shows or hides the panel, placed beside `by` (the icon it opens from). */
  setOpen(open: boolean, by: Icon): void;
  /** Creates the iframe on first use. */
  frame(src: string, title: string): HTMLIFrameElement;
  dropFrame(): void;
}

const make = <K extends keyof HTMLElementTagNameMap>(tag: K, cls = '', text = '') => {
  const n = document.createElement(tag);
  n.className = cls;
  n.textContent = text;
  return n;
};

/** A host element whose shadow root holds `inner` with the widget's styles, so the host page's CSS cannot reach them. */
const shadow = (tag: string, inner: HTMLElement) => {
  const host = document.createElement(tag);
  const style = make('style');
  style.textContent = CSS;
  host.attachShadow({ mode: 'open' }).append(style, inner);
  return host;
};

export function drawUi(): WidgetUi {
  // The panel's wrapper takes the look of the icon it opens from (side, offsets, colour).
  const wrap = make('div');
  const panel = make('div', 'panel');
  panel.setAttribute('role', 'dialog');
  wrap.append(panel);
  const host = shadow('kefu-widget', wrap);
  // Inline !important beats any page rule aimed at the host element itself.
  host.setAttribute('style', 'all:initial!important;position:fixed!important;display:block!important;width:0!important;height:0!important;right:0!important;bottom:0!important;z-index:2147483000!important');
  document.body.appendChild(host);
  const root = host.shadowRoot!;
  const icons: Icon[] = [];
  let iframe: HTMLIFrameElement | null = null;
  const place = (by: Icon) => {
    const box = by.button.parentElement!;
    wrap.className = box.className;
    wrap.style.cssText = box.style.cssText;
  };
  return {
    add(key, onClick) {
      const box = make('div');
      box.innerHTML = ICON;
      const button = box.firstChild as HTMLButtonElement;
      button.onclick = onClick;
      root.append(box);
      let inline: HTMLElement | null = null;
      let look: Look;
      const pic = button.appendChild(make('img'));
      const icon: Icon = {
        button,
        drop() {
          (inline || box).remove();
          icons.splice(icons.indexOf(icon), 1);
        },
        setLabel(text, shown) {
          button.setAttribute('aria-label', text);
          button.title = text;
          button.querySelector('span')!.textContent = shown;
        },
        setOnline(online) {
          button.dataset.state = online ? 'online' : 'offline';
          if (!(pic.hidden = !look?.img)) pic.src = look.img![+!online];
        },
        setLook(l) {
          look = l;
          box.className = l.type + (l.left ? ' left' : '') + (l.mid ? ' mid' : '') + (l.img ? ' img' : '');
          for (const [k, v] of [['--c', l.color], ['--t', l.text || '#fff'], ['--mx', l.marginX + 'px'], ['--my', l.marginY + 'px'], ['--w', l.width + 'px'], ['--h', l.height + 'px'], ['--s', (l.size || 56) + 'px']])
            box.style.setProperty(k, v);
          if (!wrap.className) place(icon);
          // 固定 fixed icons take the place of their icon code (ICON-CODE-2: the loader takes the link over) or of an empty
          // [data-kefu-icon] (ICON-TYPES-3), in their own shadow root.
          const spot = l.type === 'fixed' && document.querySelector(`[data-kefu-icon="${key}"],[data-kefu-icon=""]`);
          if (spot && !inline) spot.replaceWith((inline = shadow('kefu-icon', box)));
        },
      };
      icons.push(icon);
      return icon;
    },
    setUnread(n) {
      for (const { button } of icons) {
        const badge = button.querySelector<HTMLElement>('.badge')!;
        badge.hidden = n <= 0;
        badge.textContent = n > 99 ? '99+' : '' + n;
      }
    },
    setOpen(open, by) {
      place(by);
      panel.classList.toggle('open', open);
      panel.setAttribute('aria-label', by.button.title);
      for (const i of icons) i.button.setAttribute('aria-expanded', '' + (open && i === by));
    },
    frame(src, title) {
      if (!iframe) {
        iframe = document.createElement('iframe');
        iframe.title = title;
        // display-capture: 截屏 in the chat window (CONV-SCREENSHOT-19).
        iframe.allow = 'clipboard-write; display-capture';
        iframe.src = src;
        panel.appendChild(iframe);
      }
      return iframe;
    },
    dropFrame() {
      iframe?.remove();
      iframe = null;
    },
  };
}
