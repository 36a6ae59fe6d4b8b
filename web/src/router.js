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
  plans: () => import('./views/PlansView.vue'),
  classes: () => import('./views/ClassesView.vue'),
  experts: () => import('./views/ExpertsView.vue'),
  rooms: () => import('./views/RoomsView.vue'),
  schedule: () => import('./views/MyScheduleView.vue'),
};

const page = (name) => pages.find((p) => p.name === name);
// Pages below a menu page, allowed when their menu page is.
const details = [
  { path: 'classes/:id(\\d+)', name: 'class', component: () => import('./views/ClassDetailView.vue'), meta: { page: page('classes') } },
  { path: 'experts/:id(\\d+)/timetable', name: 'expert-timetable', component: () => import('./views/ResourceTimetableView.vue'), props: { kind: 'expert' }, meta: { page: page('experts') } },
  { path: 'rooms/:id(\\d+)/timetable', name: 'room-timetable', component: () => import('./views/ResourceTimetableView.vue'), props: { kind: 'room' }, meta: { page: page('rooms') } },
];

const routes = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
  {
    path: '/',
    component: () => import('./components/AppLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('./views/WelcomeView.vue') },
      { path: 'welcome', name: 'welcome', component: () => import('./views/WelcomeView.vue') },
      ...pages.map((p) => ({ path: p.path.slice(1), name: p.name, component: views[p.name], meta: { page: p } })),
      ...details,
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
