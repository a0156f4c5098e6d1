import { ElMessageBox } from 'element-plus';

/** POLICY-PUSH-10: the full signing secret appears this once, in a box the admin closes after copying it. */
export async function showSecret(title: string, note: string, secret: string, close: string): Promise<void> {
  await ElMessageBox.alert(`${note}\n\n${secret}`, title, { confirmButtonText: close, customClass: 'push-secret-box' }).catch(() => undefined);
}
