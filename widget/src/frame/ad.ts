/**
 * WINDOW-AD-3: the company's advertisement image in a 200 px right column of
 * the desktop window. The server sends it only while it is on; phones never
 * draw it, and ad.css hides the column while the window is under 600 px wide.
 */
import { language } from './i18n.ts';
import { isPhone } from './mobile.ts';
import './ad.css';

/** What the server sends while the advertisement is on (core/src/settings/widget-settings-service.ts). */
interface AdConfig {
  url: string;
  link: string | null;
  alt: Record<string, string>;
}

let box: HTMLElement | null = null;

export function drawAd(config: object | null) {
  const ad = isPhone() ? null : (config as { ad?: AdConfig | null } | null)?.ad;
  document.body.classList.toggle('with-ad', !!ad);
  if (!ad) {
    box?.remove();
    box = null;
    return;
  }
  box ??= document.body.appendChild(document.createElement('aside'));
  box.className = 'ad';
  const img = document.createElement('img');
  img.src = ad.url;
  // An alt text left empty in this language falls back to one that was written: some text beats none for a screen reader.
  img.alt = ad.alt[language()] || Object.values(ad.alt).find(Boolean) || '';
  img.width = 200;
  // The server accepts only http(s) links; checking again keeps a javascript: URL out whatever the config says.
  if (!ad.link || !/^https?:\/\//i.test(ad.link)) return box.replaceChildren(img);
  const a = document.createElement('a');
  a.href = ad.link;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  a.append(img);
  box.replaceChildren(a);
}
