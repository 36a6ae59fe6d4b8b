// imports.js — bulk imports (批量导入): the template, the upload (all or nothing, with
// progress), the error report of a rejected file, the list of import runs (导入记录).
import { download, http, upload } from './client.js';

export const importsApi = {
  // params: {q, flagged, page, page_size}: one's own runs, an organization admin's also its
  // region's accounts'
  list: (params) => http.get('/imports', params),
  exportXlsx: (params) => download('/imports', { ...params, format: 'xlsx' }, '导入记录.xlsx'),
  // params: {kind: 'cadres'|'units', filename, dry_run}
  upload: (params, file, onProgress) => upload('/imports', params, file, onProgress),
  template: (kind, fallbackName) => download('/imports/template', { kind }, fallbackName),
  // 网络学院学时 into the hours ledger: params {filename, dry_run}
  uploadOnline: (params, file, onProgress) => upload('/ledger/imports/online', params, file, onProgress),
  templateOnline: (fallbackName) => download('/ledger/imports/online/template', null, fallbackName),
  report: (id) => download(`/imports/${id}/report`, null, '导入错误报告.xlsx'),
};
