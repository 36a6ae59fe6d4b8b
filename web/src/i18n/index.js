// i18n — vue-i18n in Composition API mode. Messages come from locales/*.json, compiled at
// build time (vite.config.js), so only vue-i18n's runtime ships. Chinese (zh-CN) is the
// default and the fallback of any missing English key; the English messages are loaded
// when English is first chosen (main.js waits for them when the page opens in English).
//
// The chosen language is kept in localStorage.px_lang, mirrored in a px_lang cookie (so a
// plain download gets the right language too) and sent as Accept-Language by api/client.js,
// so the server's messages and labels come in the same language. Element Plus follows
// through App.vue's el-config-provider (elementLocale).
import { computed, watch } from 'vue';
import { createI18n } from 'vue-i18n';
import elZh from 'element-plus/es/locale/lang/zh-cn.mjs';
import elEn from 'element-plus/es/locale/lang/en.mjs';
import zhCN from '@/locales/zh-CN.json';
import { datetimeFormats, numberFormats } from './formats.js';

const STORAGE_KEY = 'px_lang';

function initial() {
  try {
    const s = localStorage.getItem(STORAGE_KEY);
    if (s === 'en' || s === 'zh-CN') return s;
  } catch { /* storage disabled */ }
  return 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: initial(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN },
  datetimeFormats,
  numberFormats,
  missingWarn: false,
  fallbackWarn: false,
});

// For code outside components (stores, api/client.js, utils); components use useI18n().
export const { t, te, d, n } = i18n.global;
export const locale = i18n.global.locale;
export const isEn = computed(() => locale.value === 'en');
export const elementLocale = computed(() => (locale.value === 'en' ? elEn : elZh));

const loaders = { en: () => import('@/locales/en.json') };

// The messages of `l`, loaded once.
async function load(l) {
  if (i18n.global.availableLocales.includes(l)) return;
  i18n.global.setLocaleMessage(l, (await loaders[l]()).default);
}

// The page in the language: <html lang>, the cookie, the window's title.
function apply(l) {
  document.documentElement.lang = l;
  document.cookie = `${STORAGE_KEY}=${l}; Path=/; SameSite=Strict; Max-Age=31536000`;
  document.title = t('app.title');
}
watch(locale, apply);

// Resolves once the language chosen last time can be shown.
export const ready = load(locale.value).catch(() => { locale.value = 'zh-CN'; }).then(() => apply(locale.value));

export async function setLocale(l) {
  const want = l === 'en' ? 'en' : 'zh-CN';
  await load(want);
  locale.value = want;
  try { localStorage.setItem(STORAGE_KEY, want); } catch { /* ignore */ }
}
