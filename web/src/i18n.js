// i18n.js — a tiny reactive i18n: t('a.b', {n}) looks the key up in the current locale's
// dictionary (falling back to Chinese, then to the key). The locale is kept in
// localStorage ('px_lang'), mirrored into a px_lang cookie (so plain downloads get the
// right language too) and sent as Accept-Language by api.js.
import { ref, computed } from 'vue';
import zh from './locales/zh.js';
import en from './locales/en.js';
import elZh from 'element-plus/es/locale/lang/zh-cn.mjs';
import elEn from 'element-plus/es/locale/lang/en.mjs';

const dicts = { 'zh-CN': zh, en };

function initial() {
  try {
    const s = localStorage.getItem('px_lang');
    if (s === 'en' || s === 'zh-CN') return s;
  } catch { /* storage disabled */ }
  return 'zh-CN';
}

export const locale = ref(initial());
export const elementLocale = computed(() => (locale.value === 'en' ? elEn : elZh));
export const isEn = computed(() => locale.value === 'en');

function lookup(dict, key) {
  let o = dict;
  for (const k of key.split('.')) {
    if (o == null || typeof o !== 'object') return undefined;
    o = o[k];
  }
  return typeof o === 'string' ? o : undefined;
}

export function t(key, params) {
  let s = lookup(dicts[locale.value], key) ?? lookup(zh, key) ?? key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
  return s;
}

function apply(l) {
  document.documentElement.lang = l;
  document.cookie = `px_lang=${l}; Path=/; SameSite=Strict; Max-Age=31536000`;
  document.title = t('app.title');
}

export function setLocale(l) {
  locale.value = l === 'en' ? 'en' : 'zh-CN';
  try { localStorage.setItem('px_lang', locale.value); } catch { /* ignore */ }
  apply(locale.value);
}

apply(locale.value);
