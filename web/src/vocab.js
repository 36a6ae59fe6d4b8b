// vocab.js — the server's code lists (GET /api/v1/vocabularies), cached per language.
import { reactive, watch } from 'vue';
import { api } from './api.js';
import { locale } from './i18n.js';

export const vocab = reactive({ rank_level: [], grade: [], category: [], unit_type: [], status: [], gender: [], region_level: [], role: [] });
let loadedFor = '';
let pending = null;

export function loadVocab() {
  if (loadedFor === locale.value) return Promise.resolve(vocab);
  if (pending) return pending;
  const want = locale.value;
  pending = api.get('/vocabularies').then((v) => {
    Object.assign(vocab, v);
    loadedFor = want;
    return vocab;
  }).finally(() => { pending = null; });
  return pending;
}

export function label(list, code) {
  return vocab[list]?.find((x) => x.code === code)?.label ?? code ?? '';
}

watch(locale, () => { loadVocab().catch(() => {}); });
