// compliance.js — the compliance dashboard (学时达标情况): its figures, the behind list and
// the list as .xlsx.
import { http, download } from './client.js';

export const complianceApi = {
  summary: (params) => http.get('/compliance/summary', params),
  behind: (params) => http.get('/compliance/behind', params),
  exportXlsx: (params) => download('/compliance/behind', { ...params, format: 'xlsx' }, '学时未达标人员.xlsx'),
};
