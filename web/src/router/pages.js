// pages.js — the pages and the permission each needs, as one table: a row is a page of
// the side menu (its title key, icon, view and `visible` test on the session store) or a
// page below one (`parent`, with a title of its own), which is allowed when its menu page
// is. The title names the page in the breadcrumb, the tabs bar and the browser's tab. The side menu and the
// router's guard both read it, so a new page is a new row.
import { DataAnalysis, TrendCharts, User, OfficeBuilding, Avatar, Document, Memo, School, Medal, House, Calendar, Upload } from '@element-plus/icons-vue';

// Whole cadre / class lists; a trainee's 'self' reads its own through its own pages.
const listScopes = ['all', 'region', 'unit', 'classes'];

export const pages = [
  { path: '/overview', name: 'overview', icon: DataAnalysis, title: 'menu.overview',
    view: () => import('@/views/overview/OverviewView.vue'),
    visible: (s) => s.can('stats.read') },
  { path: '/compliance', name: 'compliance', icon: TrendCharts, title: 'menu.compliance',
    view: () => import('@/views/compliance/ComplianceView.vue'),
    visible: (s) => s.can('stats.read') },
  { path: '/registry', name: 'registry', icon: User, title: 'menu.registry',
    view: () => import('@/views/registry/RegistryView.vue'),
    visible: (s) => listScopes.includes(s.scopeOf('cadre.read')) },
  { path: '/plans', name: 'plans', icon: Memo, title: 'menu.plans',
    view: () => import('@/views/plans/PlansView.vue'),
    visible: (s) => s.can('plan.read') },
  { path: '/classes', name: 'classes', icon: School, title: 'menu.classes',
    view: () => import('@/views/classes/ClassesView.vue'),
    visible: (s) => listScopes.includes(s.scopeOf('class.read')) },
  { path: '/experts', name: 'experts', icon: Medal, title: 'menu.experts',
    view: () => import('@/views/experts/ExpertsView.vue'),
    visible: (s) => s.can('expert.read') },
  // rooms are listed to whoever reads the teaching resources; room.write edits them
  { path: '/rooms', name: 'rooms', icon: House, title: 'menu.rooms',
    view: () => import('@/views/rooms/RoomsView.vue'),
    visible: (s) => s.can('expert.read') || s.can('room.write') },
  // trainees and lecturers, and anyone else who turns out to have sessions
  { path: '/schedule', name: 'schedule', icon: Calendar, title: 'menu.schedule',
    view: () => import('@/views/schedule/MyScheduleView.vue'),
    visible: (s) => !!s.user && (!!s.user.cadre_id || !!s.user.expert_id
      || ['trainee', 'expert'].includes(s.user.role) || s.hasSchedule) },
  { path: '/units', name: 'units', icon: OfficeBuilding, title: 'menu.units',
    view: () => import('@/views/units/UnitsView.vue'),
    visible: (s) => s.can('unit.write') },
  // the import runs of a region's accounts (a liaison sees its own in the import dialog)
  { path: '/imports', name: 'imports', icon: Upload, title: 'menu.imports',
    view: () => import('@/views/imports/ImportsView.vue'),
    visible: (s) => ['all', 'region'].includes(s.scopeOf('import')) },
  { path: '/users', name: 'users', icon: Avatar, title: 'menu.users',
    view: () => import('@/views/users/UsersView.vue'),
    visible: (s) => s.can('user.read') },
  { path: '/logs', name: 'logs', icon: Document, title: 'menu.logs',
    view: () => import('@/views/logs/LogsView.vue'),
    visible: (s) => s.can('audit.read') },

  { path: '/classes/:id(\\d+)', name: 'class', parent: 'classes', title: 'page.class',
    view: () => import('@/views/classes/ClassDetailView.vue') },
  { path: '/experts/:id(\\d+)/timetable', name: 'expert-timetable', parent: 'experts', title: 'page.expertTimetable', props: { kind: 'expert' },
    view: () => import('@/views/timetable/ResourceTimetableView.vue') },
  { path: '/rooms/:id(\\d+)/timetable', name: 'room-timetable', parent: 'rooms', title: 'page.roomTimetable', props: { kind: 'room' },
    view: () => import('@/views/timetable/ResourceTimetableView.vue') },
];

export const menuPages = pages.filter((p) => !p.parent);

// Whether the session may open a page (a page below a menu page follows that page).
export function allowed(page, session) {
  const menu = page.parent ? menuPages.find((p) => p.name === page.parent) : page;
  return menu.visible(session);
}

export function visibleMenu(session) {
  return session.user ? menuPages.filter((p) => p.visible(session)) : [];
}

// The trail of a page for the breadcrumb: its menu page, then itself (title keys).
export function trail(page) {
  if (!page) return [];
  const menu = page.parent ? menuPages.find((p) => p.name === page.parent) : null;
  return menu ? [menu, page] : [page];
}

export function homePath(session) {
  return visibleMenu(session)[0]?.path ?? '/welcome';
}
