// useFormDialog — the state of a create/edit dialog: open it for a new record or for a
// row, the form's model, submit with loading (validation first, the record's `version`
// sent with an update), the server's field errors (`details[].field`) kept for the form
// items, close on success. components/common/FormDialog.vue renders it.
//
//   const dialog = useFormDialog({
//     blank: () => ({ name: '', type: 'township' }),   // the model of a new record
//     fromRow: (row) => ({ ... }),      // optional: a row → the model's values (default: the row)
//     load: (row) => api.get(row.id),   // optional: fetch the full record first
//     body: (model, row) => ({ ... }),  // optional: the model → the request body
//     create: unitsApi.create, update: unitsApi.update,   // (body) / (id, body)
//     onSaved: (saved, row) => list.refresh(),
//   });
//   dialog.open(row | null, preset), dialog.close(), dialog.submit(validate),
//   dialog.visible, dialog.editing, dialog.model, dialog.saving, dialog.loading,
//   dialog.error (the server's message), dialog.details, dialog.errors (field → message),
//   dialog.message(fieldNames): the message with what it says of fields the form lacks
import { reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { t } from '@/i18n/index.js';

// The keys of `template` taken from `values` (arrays copied), the others (and what is
// null there) from the template: the model never holds more than its own fields.
function pick(template, values) {
  const out = {};
  for (const [k, v] of Object.entries(template)) {
    const x = values?.[k];
    out[k] = x === undefined || x === null ? v : Array.isArray(x) ? [...x] : x;
  }
  return out;
}

export function useFormDialog({ blank, fromRow = (row) => row, load = null, body = (m) => ({ ...m }), create, update, onSaved = () => {} }) {
  const model = reactive(blank());
  const visible = ref(false);
  const editing = ref(null);
  const saving = ref(false);
  const loading = ref(false);
  const error = ref('');
  const details = ref([]);
  const errors = ref({});

  function clearErrors() {
    error.value = '';
    details.value = [];
    errors.value = {};
  }

  function fill(values) {
    Object.assign(model, pick(blank(), values));
  }

  // Open for `row` (edit) or for a new record with `preset` values.
  async function open(row = null, preset = {}) {
    clearErrors();
    editing.value = row;
    fill(row ? fromRow(row) : preset);
    visible.value = true;
    if (!row || !load) return;
    loading.value = true;
    try {
      const full = await load(row);
      editing.value = full;
      fill(fromRow(full));
    } catch (e) {
      error.value = e.message;
    } finally {
      loading.value = false;
    }
  }

  // The server's message, then its words on fields not among `shown` (a Set of names).
  function message(shown = new Set()) {
    if (!error.value) return '';
    const other = details.value.filter((x) => x.message && !shown.has(x.field)).map((x) => x.message);
    return [error.value, ...other].join(';');
  }

  function close() {
    visible.value = false;
  }

  // validate: the form's own check (async, resolves true when it passes).
  async function submit(validate = async () => true) {
    clearErrors();
    if (!(await validate())) return null;
    saving.value = true;
    const row = editing.value;
    try {
      const b = body(model, row);
      const saved = row ? await update(row.id, { ...b, version: row.version }) : await create(b);
      ElMessage.success(t('common.saved'));
      visible.value = false;
      onSaved(saved, row);
      return saved;
    } catch (e) {
      error.value = e.message;
      details.value = e.details ?? [];
      errors.value = e.fieldErrors?.() ?? {};
      return null;
    } finally {
      saving.value = false;
    }
  }

  return reactive({ model, visible, editing, saving, loading, error, details, errors, open, close, submit, clearErrors, message });
}
