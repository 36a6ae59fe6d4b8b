// useDownload — a file download (or any call that ends in a file) with its busy flag and
// its outcome as a message: "已导出:name" (or `done(name)`, or nothing when done is null),
// else the server's error.
//
//   const files = useDownload();
//   files.run('pdf', () => classesApi.timetableFile(id, 'pdf', name));  // :loading="files.busy === 'pdf'"
import { reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { t } from '@/i18n/index.js';

export function useDownload() {
  const busy = ref(''); // the key of the running download, '' when none

  async function run(key, call, { done = (name) => t('common.exportDone', { name }) } = {}) {
    busy.value = key;
    try {
      const name = await call();
      const message = done?.(name);
      if (message) ElMessage.success(message);
    } catch (e) {
      ElMessage.error(e.message);
    } finally {
      busy.value = '';
    }
  }

  return reactive({ busy, run });
}
