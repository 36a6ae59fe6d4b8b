// Vite build of the peixun web UI into web/dist (served by `peixun serve`).
// Element Plus components are imported on demand (with their CSS) by
// unplugin-vue-components, so the bundle carries only what the pages use. The locale
// messages (src/locales/*.json) are compiled here by @intlify/unplugin-vue-i18n, so the
// page ships vue-i18n's runtime only: no message compiler, nothing evaluated at run time
// (the CSP allows no eval).
import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import VueI18n from '@intlify/unplugin-vue-i18n/vite';

// `npm run dev` proxies the API to a running server (PEIXUN_URL, default :8090).
const api = process.env.PEIXUN_URL ?? 'http://127.0.0.1:8090';

// vue-i18n 11 finds the current component through `import * as Vue from 'vue'` and
// `'currentInstance' in Vue`, which keeps every export of Vue in the bundle (36 kB, 13 kB
// gzip). Vue 3.5 has no such export, so the helper is plain getCurrentInstance(): this
// says so in vue-i18n's runtime build, and warns (failing the warning-free build) should a
// new vue-i18n read Vue differently.
function vueI18nNamedImport() {
  const helper = /function getCurrentInstance\(\) \{[^}]*'currentInstance'[^}]*\}[^}]*\}\s*\}/;
  return {
    name: 'peixun:vue-i18n-named-import',
    apply: 'build',
    transform(code, id) {
      if (!/vue-i18n[\\/]dist[\\/]vue-i18n\.runtime\.mjs$/.test(id)) return null;
      const out = code.replace("import * as Vue from 'vue';", "import { getCurrentInstance as vueCurrentInstance } from 'vue';")
        .replace(helper, 'function getCurrentInstance() { return vueCurrentInstance(); }');
      if (/\bVue[.[]|\bin Vue\b/.test(out)) this.warn('vue-i18n reads the Vue namespace in a new way: check vueI18nNamedImport');
      return { code: out, map: null };
    },
  };
}

export default defineConfig({
  base: '/',
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  plugins: [
    vue(),
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false }),
    VueI18n({
      include: fileURLToPath(new URL('./src/locales/*.json', import.meta.url)),
      runtimeOnly: true,
      compositionOnly: true,
      fullInstall: false,
      dropMessageCompiler: true,
    }),
    vueI18nNamedImport(),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 700,
    // The CSP is default-src 'self': no inline scripts, so no module-preload polyfill.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)/ },
            { name: 'element-plus', test: /node_modules[\\/](element-plus|@element-plus|@floating-ui|@vueuse|async-validator|dayjs|lodash)/ },
            { name: 'vue', test: /node_modules[\\/](vue|@vue|vue-router|vue-i18n|@intlify|pinia)[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    port: 8091,
    proxy: { '/api': api, '/healthz': api },
  },
});
