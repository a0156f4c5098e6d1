import { ElMessage, ElMessageBox } from 'element-plus';
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { agentsApi, type AgentRow } from '@/api/agents';
import { errorText } from '@/utils/error-text';

/** Disable, enable, delete and sign out, each after a confirmation (SPEC AGENT-DISABLE-6 … AGENT-SESSIONS-20). */
export function useAgentActions(reload: () => Promise<void>) {
  const { t } = useI18n();
  /** The id of the agent an action is running on. */
  const busy = ref<number | null>(null);

  async function run(agent: AgentRow, confirm: () => Promise<unknown>, call: () => Promise<void>, doneKey: string) {
    try {
      await confirm();
    } catch {
      return; // cancelled
    }
    busy.value = agent.id;
    try {
      await call();
      ElMessage.success(t(doneKey, { agent: agent.agentId }));
    } catch (error) {
      ElMessage.error(errorText(error));
    } finally {
      busy.value = null;
      await reload();
    }
  }

  const ask = (agent: AgentRow, key: string, confirmLabel: string, danger = false) =>
    ElMessageBox.confirm(t(`agents.confirm.${key}Body`, { agent: agent.agentId }), t(`agents.confirm.${key}Title`, { agent: agent.agentId }), {
      type: danger ? 'warning' : 'info',
      confirmButtonText: confirmLabel,
      cancelButtonText: t('common.actions.cancel'),
      confirmButtonClass: danger ? 'el-button--danger' : undefined,
      autofocus: false,
    });

  const disable = (agent: AgentRow) =>
    run(
      agent,
      () => ask(agent, 'disable', t('common.actions.disable'), true),
      () => agentsApi.disable(agent.id),
      'agents.done.disabled',
    );

  const enable = (agent: AgentRow) =>
    run(
      agent,
      () => ask(agent, 'enable', t('common.actions.enable')),
      () => agentsApi.enable(agent.id),
      'agents.done.enabled',
    );

  const endSessions = (agent: AgentRow) =>
    run(
      agent,
      () => ask(agent, 'endSessions', t('agents.actions.endSessions'), true),
      () => agentsApi.endSessions(agent.id),
      'agents.done.sessionsEnded',
    );

  /** Deleting cannot be undone, so the agent ID must be typed (SPEC AGENT-DELETE-8); the server checks it too. */
  const remove = (agent: AgentRow) => {
    let typed = '';
    const confirm = async () => {
      const answer = await ElMessageBox.prompt(
        t('agents.confirm.deleteBody', { agentId: agent.agentId }),
        t('agents.confirm.deleteTitle', { agent: agent.agentId }),
        {
          type: 'warning',
          confirmButtonText: t('common.actions.delete'),
          cancelButtonText: t('common.actions.cancel'),
          confirmButtonClass: 'el-button--danger',
          inputPlaceholder: agent.agentId,
          inputValidator: (value) => (value ?? '').trim().toLowerCase() === agent.agentId.toLowerCase() || t('agents.confirm.deleteMismatch'),
        },
      );
      typed = answer.value.trim();
    };
    return run(agent, confirm, () => agentsApi.remove(agent.id, typed), 'agents.done.deleted');
  };

  return { busy, disable, enable, endSessions, remove };
}
