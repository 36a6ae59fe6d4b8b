// useListPage — the state of a list page: the search form's model, the query built from
// it, the call to the API, loading and error, items/total/page/page_size/sort, reset,
// refresh after a write, deleting a row, and the .xlsx export. A page (or
// components/common/ListPage.vue) renders it; see docs/web.md for the recipe.
//
//   const list = useListPage({
//     fetch: unitsApi.list,              // (params) → {items, total}
//     filters: { q: '', type: '' },      // the search form; reset() restores these
//     params: (f) => ({ ...f, q: f.q.trim() }),  // optional: filters → query
//     exportXlsx: unitsApi.exportXlsx,   // optional: (params) → file name
//     paged: true, pageSize: 20, immediate: true,
//   });
//   list.items, list.total, list.page, list.pageSize, list.sort, list.loading, list.error,
//   list.search(), list.refresh(), list.reset(), list.sortBy(key, order),
//   list.remove(confirmText, () => unitsApi.remove(row.id)), list.exportXlsx()
//
// An answer that arrives after a newer query was sent is dropped.
import { computed, reactive, ref, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { t } from '@/i18n/index.js';
import { confirmDanger } from '@/utils/confirm.js';
import { useDownload } from './useDownload.js';

export function useListPage({ fetch, filters = {}, params = (f) => ({ ...f }), exportXlsx = null,
  paged = true, pageSize = 20, immediate = true }) {
  const initial = { ...filters };
  const model = reactive({ ...filters });
  const items = ref([]);
  const total = ref(0);
  const capped = ref(false); // a search's total is the most it counts: "1000+"
  const page = ref(1);
  const size = ref(pageSize);
  const sort = ref('');
  const loading = ref(false);
  const error = ref('');
  const files = useDownload();
  const exporting = computed(() => files.busy === 'xlsx');
  let seq = 0;

  // The query of the current search form and sort, without paging.
  const query = () => ({ ...params(model), ...(sort.value ? { sort: sort.value } : {}) });

  async function refresh() {
    const my = ++seq;
    loading.value = true;
    error.value = '';
    try {
      const r = await fetch(paged ? { ...query(), page: page.value, page_size: size.value } : query());
      if (my !== seq) return;
      items.value = r.items;
      total.value = r.total;
      capped.value = !!r.total_capped;
    } catch (e) {
      if (my === seq) error.value = e.message;
    } finally {
      if (my === seq) loading.value = false;
    }
  }

  function search() {
    page.value = 1;
    return refresh();
  }

  function reset() {
    Object.assign(model, initial);
    return search();
  }

  // order: 'ascending' | 'descending' | null (as el-table reports it)
  function sortBy(key, order) {
    sort.value = key && order ? (order === 'descending' ? '-' : '') + key : '';
    return search();
  }

  // Ask first, then call `call` (the deletion); the list follows. Resolves true when deleted.
  async function remove(confirmText, call) {
    if (!(await confirmDanger(confirmText))) return false;
    try {
      await call();
      ElMessage.success(t('common.deleted'));
      refresh();
      return true;
    } catch (e) {
      ElMessage.error(e.message);
      return false;
    }
  }

  const exportList = () => files.run('xlsx', () => exportXlsx(query()));

  if (immediate) onMounted(refresh);

  return reactive({
    filters: model, items, total, capped, page, pageSize: size, sort, loading, error, exporting,
    refresh, search, reset, sortBy, remove, exportXlsx: exportXlsx ? exportList : null,
  });
}
