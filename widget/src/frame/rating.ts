/** The satisfaction survey (EVAL-RATING-8): five levels with their labels, an optional comment. */
import { t, type Key } from './i18n.ts';

export interface RatingHandlers {
  submit(score: number, comment: string): Promise<void>;
  dismiss?: () => void;
}

export function drawRating(box: HTMLElement, h: RatingHandlers) {
  const card = document.createElement('form');
  card.className = 'rating';
  const title = document.createElement('p');
  title.className = 'rating-title';
  title.textContent = t('rateTitle');
  const levels = document.createElement('div');
  levels.className = 'levels';
  levels.setAttribute('role', 'radiogroup');
  levels.setAttribute('aria-label', t('rateTitle'));
  let score = 0;
  const buttons = [5, 4, 3, 2, 1].map((n) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'level';
    b.dataset.score = String(n);
    b.setAttribute('role', 'radio');
    b.setAttribute('aria-checked', 'false');
    b.textContent = t(`rate${n}` as Key);
    b.addEventListener('click', () => {
      score = n;
      buttons.forEach((x) => x.setAttribute('aria-checked', String(x === b)));
      send.disabled = false;
    });
    return b;
  });
  levels.append(...buttons);
  const comment = document.createElement('textarea');
  comment.rows = 2;
  comment.maxLength = 500;
  comment.placeholder = t('comment');
  comment.setAttribute('aria-label', t('comment'));
  const error = document.createElement('p');
  error.className = 'error';
  error.setAttribute('role', 'alert');
  const send = document.createElement('button');
  send.type = 'submit';
  send.className = 'primary';
  send.disabled = true;
  send.textContent = t('rateSend');
  const row = document.createElement('div');
  row.className = 'row';
  row.append(send);
  if (h.dismiss) {
    const later = document.createElement('button');
    later.type = 'button';
    later.className = 'plain';
    later.textContent = t('rateLater');
    later.addEventListener('click', h.dismiss);
    row.append(later);
  }
  card.append(title, levels, comment, error, row);
  card.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!score || send.disabled) return;
    send.disabled = true;
    error.textContent = '';
    try {
      await h.submit(score, comment.value.trim());
      // The stored rating comes back as a message in the list: that is the confirmation.
      card.remove();
    } catch (err) {
      error.textContent = err instanceof Error ? err.message : String(err);
      send.disabled = false;
    }
  });
  box.replaceChildren(card);
}
