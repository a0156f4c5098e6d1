/** WCAG 2 relative luminance of `#RRGGBB`. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export const contrastRatio = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

const LIGHT = '#ffffff';
const DARK = '#1f2328';

/** WINDOW-BRAND-6: the text colour on a theme colour, whichever of white and near-black contrasts more (WCAG AA wherever either can). */
export const textOn = (background: string) => (contrastRatio(background, LIGHT) >= contrastRatio(background, DARK) ? LIGHT : DARK);
