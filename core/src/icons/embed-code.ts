/**
 * ICON-CODE-2: the two snippets a site embeds. The function code is the loader
 * (with the icon key, so the loader draws this icon); the icon code is a plain
 * link to the hosted chat page (MOBILE-LINK-4) that works without any script.
 */
/** `alt`: the image's words for screen readers (ICON-IMAGE-4). */
export function embedCode(origin: string, companyPublicId: number, icon: { key: string; alt: string }) {
  const link = `${origin}/chat/${companyPublicId}/${icon.key}`;
  const alt = icon.alt.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return {
    function: `<script async src="${origin}/widget/loader.js" data-company="${companyPublicId}" data-icon="${icon.key}"></script>`,
    icon: `<a href="${link}" target="_blank" rel="noopener" data-kefu-icon="${icon.key}"><img src="${origin}/api/widget/icons/${icon.key}/image?c=${companyPublicId}" alt="${alt}"></a>`,
    link,
  };
}
