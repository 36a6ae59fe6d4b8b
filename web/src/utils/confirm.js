// confirm.js — "are you sure?" before a deletion, in the UI's language.
import { ElMessageBox } from 'element-plus';
import { t } from '@/i18n/index.js';

// Resolves true when the user confirms.
export async function confirmDanger(message) {
  try {
    await ElMessageBox.confirm(message, t('common.hint'), {
      type: 'warning', confirmButtonText: t('common.delete'), cancelButtonText: t('common.cancel'), confirmButtonClass: 'el-button--danger',
    });
    return true;
  } catch {
    return false;
  }
}
