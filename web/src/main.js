// main.js — the app: Pinia (stores/), vue-i18n (i18n/), the router (router/), the handler
// that leads an expired session back to the login page, the global CSS.
import { createApp } from 'vue';
import App from './App.vue';
import { pinia } from './stores/index.js';
import { useSessionStore } from './stores/session.js';
import { i18n, ready } from './i18n/index.js';
import { router } from './router/index.js';
import { setUnauthenticatedHandler } from './api/client.js';
// Styles of the components used through functions rather than templates.
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import 'element-plus/es/components/notification/style/css';
import 'element-plus/theme-chalk/el-loading.css';
import './styles.css';

setUnauthenticatedHandler(() => {
  useSessionStore(pinia).clear();
  const here = router.currentRoute.value;
  if (here.name !== 'login') router.push({ name: 'login', query: { redirect: here.fullPath, expired: '1' } });
});

ready.then(() => createApp(App).use(pinia).use(i18n).use(router).mount('#app'));
