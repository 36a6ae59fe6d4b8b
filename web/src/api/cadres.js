// cadres.js — the cadre registry (干部名册): masked lists, one record with its history,
// the audited reveal of the full numbers, the .xlsx export.
import { http, download } from './client.js';
import { resource } from './resource.js';

const { list, get, create, update } = resource('/cadres');

export const cadresApi = {
  list, get, create, update,
  history: (id) => http.get(`/cadres/${id}/history`),
  reveal: (id) => http.post(`/cadres/${id}/reveal`),
  exportXlsx: (params) => download('/cadres/export', params, '干部名册.xlsx'),
};
