import { ElMessage, ElMessageBox } from 'element-plus';
import { useI18n } from 'vue-i18n';
import { RealtimeError } from '@kefu/core/protocol/client';
import { useWorkbenchStore } from '@/stores/workbench';
import { collabOf, type CollabClient, type LiveVisitor } from '@/stores/workbench-types';
import { errorText } from '@/utils/error-text';

/** The workbench's actions with their confirmations and error messages, shared by toolbar, lists and pane. */
export function useWorkbenchActions() {
  const { t, te } = useI18n();
  const store = useWorkbenchStore();

  function failText(error: unknown): string {
    if (error instanceof RealtimeError) {
      const key = `workbench.errors.${error.code}`;
      return te(key) ? t(key) : te(`errors.codes.${error.code}`) ? t(`errors.codes.${error.code}`) : error.message;
    }
    if (error instanceof Error && error.message === 'offline') return t('workbench.errors.timeout');
    return errorText(error);
  }

  async function attempt(work: () => Promise<unknown>, done?: string): Promise<boolean> {
    try {
      await work();
      if (done) ElMessage.success(done);
      return true;
    } catch (error) {
      ElMessage.error(failText(error));
      return false;
    }
  }

  /** The collaboration events (transfer, invite, proactive) over the same socket. */
  function collab(): CollabClient {
    const c = store.client();
    if (!c) throw new Error('offline');
    return collabOf(c);
  }

  const accept = (id: number) => attempt(() => store.accept(id));

  async function end(id: number) {
    try {
      await ElMessageBox.confirm(t('workbench.end.confirm'), t('workbench.end.title'), {
        type: 'warning',
        confirmButtonText: t('workbench.end.ok'),
        cancelButtonText: t('common.actions.cancel'),
      });
    } catch {
      return false;
    }
    return attempt(() => store.end(id));
  }

  /** `text`: the agent's own invitation text or first message (TOOLBAR-VISITORBTNS-6); the company's words otherwise. */
  const invite = (v: LiveVisitor, text?: string) => attempt(() => collab().call('visitor.invite', { visitorId: v.id, text }), t('workbench.visitors.invited'));

  const proactive = (v: LiveVisitor, text?: string) =>
    attempt(async () => {
      const r = await collab().call('visitor.proactive', { visitorId: v.id, text });
      store.remember([r.conversation]);
      store.select(r.conversation.id);
    });

  return { failText, attempt, collab, accept, end, invite, proactive };
}
