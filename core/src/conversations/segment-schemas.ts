import { z } from 'zod';

/** One agent's stretch of a conversation (CONV-TRANSFER-33); no Node imports, so the console can use the type. */
export const segmentView = z.object({
  agent: z.object({ id: z.number(), nickname: z.string().nullable() }).nullable(),
  /** How the agent got it: manual (accepted), auto, sticky, dispatch, transfer or takeover. */
  startedBy: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  /** transfer or takeover when it moved on, else the conversation's end reason; null while it runs. */
  endReason: z.string().nullable(),
});
export type SegmentView = z.output<typeof segmentView>;
