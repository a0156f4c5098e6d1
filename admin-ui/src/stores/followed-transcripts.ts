/**
 * Conversations an open 历史对话 transcript follows (HISTORY-ONGOING-13): their pushes reach this
 * console's socket although the agent neither serves nor monitors them, so the workbench must not
 * count or ring them.
 */
export const followedTranscripts = new Set<number>();
