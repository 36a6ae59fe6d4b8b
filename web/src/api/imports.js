// imports.js — bulk imports (批量导入): the template, the upload (all or nothing, with
// progress), the error report of a rejected file.
import { download, upload } from './client.js';

export const importsApi = {
  // params: {kind: 'cadres'|'units', filename, dry_run}
  upload: (params, file, onProgress) => upload('/imports', params, file, onProgress),
  template: (kind, fallbackName) => download('/imports/template', { kind }, fallbackName),
  report: (id) => download(`/imports/${id}/report`, null, '导入错误报告.xlsx'),
};
