import type { LiveVisitor } from '@/stores/workbench-types';

type Translate = (key: string, params?: Record<string, unknown>) => string;

/**
 * Why 邀请访客 / 主动对话 cannot reach this visitor now (TOOLBAR-VISITORBTNS-6), in words for the disabled
 * button's tooltip; null when they can. The server refuses the same cases (VISITOR-INVITE-9, VISITOR-PROACTIVE-10).
 */
export function approachBlocker(v: LiveVisitor, t: Translate): string | null {
  if (v.state !== 'browsing') return t(`workbench.approach.${v.state}`);
  if (v.chatBlock) return t('workbench.approach.blocked');
  if (v.outsideRegion) return t('workbench.approach.region');
  if (v.invitation) return v.invitation.agentNickname ? t('workbench.approach.invited', { agent: v.invitation.agentNickname }) : t('workbench.approach.invitedAuto');
  return null;
}
