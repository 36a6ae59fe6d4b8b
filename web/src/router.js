// router.js — client-side routes (the server answers index.html for any non-API path).
import { createRouter, createWebHistory } from 'vue-router';
import { session, loadSession } from './session.js';
import { pages, homePath } from './menu.js';

const views = {
  overview: () => import('./views/OverviewView.vue'),
  registry: () => import('./views/RegistryView.vue'),
  units: () => import('./views/UnitsView.vue'),
  users: () => import('./views/UsersView.vue'),
  logs: () => import('./views/LogsView.vue'),
};

const routes = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
  {
    path: '/',
    component: () => import('./components/AppLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('./views/WelcomeView.vue') },
      { path: 'welcome', name: 'welcome', component: () => import('./views/WelcomeView.vue') },
      ...pages.map((p) => ({ path: p.path.slice(1), name: p.name, component: views[p.name], meta: { page: p } })),
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  if (!session.loaded) await loadSession().catch(() => {});
  if (to.meta.public) return true;
  if (!session.user) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  if (session.user.must_change_password) return { name: 'login' };
  // The start page depends on the permissions, known only once the session is loaded.
  if (to.name === 'home') return homePath();
  if (to.meta.page && !to.meta.page.visible()) return homePath();
  return true;
});
