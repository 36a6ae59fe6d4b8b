// usePasswordChange — changing one's own password (the forced change at login and the
// header's 修改密码): the model, the fields (FormFields) with the repeat check, the
// server's field errors, submit with loading.
import { reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { t } from '@/i18n/index.js';
import { useSessionStore } from '@/stores/session.js';

export function usePasswordChange() {
  const session = useSessionStore();
  const model = reactive({ old: '', new1: '', new2: '' });
  const busy = ref(false);
  const error = ref('');
  const errors = ref({});

  const fields = [
    { key: 'old', label: 'login.oldPassword', type: 'password', required: true, errorKeys: ['old_password'],
      attrs: { autocomplete: 'current-password' } },
    { key: 'new1', label: 'login.newPassword', type: 'password', required: true, errorKeys: ['password', 'new_password'],
      attrs: { autocomplete: 'new-password' }, hint: 'login.passwordRule' },
    { key: 'new2', label: 'login.confirmPassword', type: 'password', attrs: { autocomplete: 'new-password' },
      rules: [{ validator: (_r, v, cb) => (v === model.new1 ? cb() : cb(new Error(t('login.mismatch')))), trigger: 'blur' }] },
  ];

  function reset() {
    model.old = model.new1 = model.new2 = '';
    error.value = '';
    errors.value = {};
  }

  // validate: the form's own check; resolves true when the password was changed.
  async function submit(validate) {
    if (busy.value) return false;
    error.value = '';
    errors.value = {};
    if (!(await validate())) return false;
    busy.value = true;
    try {
      await session.changePassword(model.old, model.new1);
      ElMessage.success(t('login.changed'));
      return true;
    } catch (e) {
      error.value = e.message;
      errors.value = e.fieldErrors ? e.fieldErrors() : {};
      return false;
    } finally {
      busy.value = false;
    }
  }

  return reactive({ model, fields, busy, error, errors, reset, submit });
}
