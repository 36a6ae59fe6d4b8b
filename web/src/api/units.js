// units.js — units (单位): list, create, edit, delete, the .xlsx export, and every unit in
// scope at once (the registry's tree).
import { download } from './client.js';
import { resource } from './resource.js';

const { list, create, update, remove } = resource('/units');

async function all() {
  const out = [];
  for (let page = 1; ; page++) {
    const r = await list({ page, page_size: 500, sort: 'sort_order' });
    out.push(...r.items);
    if (out.length >= r.total || !r.items.length) return out;
  }
}

export const unitsApi = {
  list, create, update, remove, all,
  exportXlsx: (params) => download('/units/export', params, '单位名单.xlsx'),
};
