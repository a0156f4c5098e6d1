import { z } from 'zod';
import { ack } from './message-schemas.ts';

/** Visitor events of the conversation policies (POLICY §7.1.8). */
export const policyVisitorEvents = {
  'proactive.close': {
    summary: 'The visitor closed the automatic proactive window: no more greetings in this visit (POLICY-PROACTIVE-2)',
    payload: z.strictObject({}),
    ack: ack({}),
  },
} as const;

export const policyVisitorServerEvents = {
  'proactive.greeting': {
    summary:
      'Automatic proactive chat (POLICY-PROACTIVE-2): open the window with this greeting; a reply starts a chat as usual. Automatic invitations stop for the visit',
    payload: z.object({ text: z.string(), shown: z.number(), maxPerVisit: z.number() }),
  },
} as const;
