// useColumns — the columns of a table the user picks (列设置), remembered per user and
// table in localStorage, so the choice survives a reload and another login of the same
// person on the same browser, and does not reach another person's.
//
//   const cols = useColumns('registry', allColumns, ['name', 'unit_name', …]);
//   cols.shown (the columns to draw, in the table's order), cols.chosen (keys),
//   cols.set(keys), cols.reset(), cols.options ({key, label, locked}) for ColumnChooser
// A column's key is its `key ?? prop`; `locked: true` on a column keeps it always shown.
import { computed, reactive, ref, watch } from 'vue';
import { useSessionStore } from '@/stores/session.js';

const keyOf = (c) => c.key ?? c.prop;

export function useColumns(table, columns, defaults) {
  const session = useSessionStore();
  const all = computed(() => (typeof columns === 'function' ? columns() : columns.value ?? columns));
  const storageKey = computed(() => `px_cols.${table}.${session.user?.username ?? ''}`);

  function read() {
    try {
      const v = JSON.parse(localStorage.getItem(storageKey.value) || 'null');
      if (Array.isArray(v)) return v.filter((k) => typeof k === 'string');
    } catch { /* none kept, or storage disabled */ }
    return [...defaults];
  }

  const chosen = ref(read());
  watch(storageKey, () => { chosen.value = read(); });

  function set(keys) {
    chosen.value = [...keys];
    try { localStorage.setItem(storageKey.value, JSON.stringify(chosen.value)); } catch { /* storage disabled */ }
  }

  function reset() {
    chosen.value = [...defaults];
    try { localStorage.removeItem(storageKey.value); } catch { /* storage disabled */ }
  }

  const shown = computed(() => all.value.filter((c) => c.locked || chosen.value.includes(keyOf(c))));
  const options = computed(() => all.value.map((c) => ({ key: keyOf(c), label: c.label, locked: !!c.locked })));

  return reactive({ chosen, shown, options, set, reset });
}
