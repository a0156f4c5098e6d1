import { z } from 'zod';

/**
 * CONV-MESSAGE-8 `card` messages (the robot, other plugins): a text and buttons. A button either
 * answers (a click sends its label, which the plugin reads as the choice) or, with `url`, opens that
 * page in a new tab. Only http(s) addresses are accepted: a `javascript:` or `data:` button would run
 * in the visitor's window. The chat frame checks the scheme again before drawing a link.
 */
export const cardButton = z
  .object({
    // 300: the robot's 转人工 text may be that long.
    label: z.string().trim().min(1).max(300),
    url: z
      .url({ protocol: /^https?$/, error: 'Only http:// and https:// addresses' })
      .max(2048)
      .optional()
      .describe('Opened in a new tab (rel="noopener noreferrer") instead of sending the label'),
  })
  // Plugins keep their own fields on a button (the robot's `action`, `entryId`).
  .loose();

export const cardPayload = z
  .object({
    // Up to 10: the robot's "did you mean" card offers five questions and 转人工.
    buttons: z.array(cardButton).max(10).default([]),
  })
  .loose();
export type CardButton = z.infer<typeof cardButton>;
