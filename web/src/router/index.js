// index.js — client-side routes (the server answers index.html for any non-API path):
// the login page, and the layout holding every page of pages.js. The guard loads the
// session, sends a user who must change its password to the login page, and refuses a
// page the session may not open (a typed address leads to the first allowed page).
import { createRouter, createWebHistory } from 'vue-router';
import { pinia } from '@/stores/index.js';
import { useSessionStore } from '@/stores/session.js';
import { pages, allowed, homePath } from './pages.js';

const welcome = () => import('@/views/welcome/WelcomeView.vue');

const routes = [
  { path: '/login', name: 'login', component: () => import('@/views/login/LoginView.vue'), meta: { public: true } },
  {
    path: '/',
    component: () => import('@/layout/AppLayout.vue'),
    children: [
      { path: '', name: 'home', component: welcome },
      { path: 'welcome', name: 'welcome', component: welcome, meta: { page: { name: 'welcome', path: '/welcome', title: 'menu.welcome', visible: () => true } } },
      ...pages.map((p) => ({ path: p.path.slice(1), name: p.name, component: p.view, props: p.props, meta: { page: p } })),
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  const session = useSessionStore(pinia);
  if (!session.loaded) await session.load().catch(() => {});
  if (to.meta.public) return true;
  if (!session.user) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  if (session.user.must_change_password) return { name: 'login' };
  // The start page depends on the permissions, known only once the session is loaded.
  if (to.name === 'home') return homePath(session);
  if (to.meta.page && !allowed(to.meta.page, session)) return homePath(session);
  return true;
});
