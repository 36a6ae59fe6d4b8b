import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router.js';
import { clearSession } from './session.js';
import { setUnauthenticatedHandler } from './api.js';
// Styles of the components used through functions rather than templates.
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import 'element-plus/es/components/notification/style/css';
import 'element-plus/theme-chalk/el-loading.css';
import './styles.css';

setUnauthenticatedHandler(() => {
  clearSession();
  if (router.currentRoute.value.name !== 'login') {
    router.push({ name: 'login', query: { redirect: router.currentRoute.value.fullPath, expired: '1' } });
  }
});

createApp(App).use(router).mount('#app');
