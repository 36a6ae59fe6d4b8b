// Vite build of the peixun web UI into web/dist (served by `peixun serve`).
// Element Plus components are imported on demand (with their CSS) by
// unplugin-vue-components, so the bundle carries only what the pages use.
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';

// `npm run dev` proxies the API to a running server (PEIXUN_URL, default :8090).
const api = process.env.PEIXUN_URL ?? 'http://127.0.0.1:8090';

export default defineConfig({
  base: '/',
  plugins: [
    vue(),
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false }),
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
            { name: 'vue', test: /node_modules[\\/](vue|@vue|vue-router)[\\/]/ },
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
