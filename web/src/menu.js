// menu.js — the pages and the permission each needs. The side menu shows exactly the
// pages whose `visible` test passes for the logged-in user's permissions; the router
// refuses the others the same way.
import { scopeOf, session, hasSchedule } from './session.js';

export const pages = [
  { path: '/overview', name: 'overview', icon: 'DataAnalysis', title: 'menu.overview',
    visible: () => !!scopeOf('stats.read') },
  // 'self' (a trainee) reads only its own record: that comes with the trainee pages.
  { path: '/registry', name: 'registry', icon: 'User', title: 'menu.registry',
    visible: () => ['all', 'region', 'unit', 'classes'].includes(scopeOf('cadre.read')) },
  { path: '/plans', name: 'plans', icon: 'Memo', title: 'menu.plans',
    visible: () => !!scopeOf('plan.read') },
  // a trainee reads its own classes through 我的课表, not the class list
  { path: '/classes', name: 'classes', icon: 'School', title: 'menu.classes',
    visible: () => ['all', 'region', 'unit', 'classes'].includes(scopeOf('class.read')) },
  { path: '/experts', name: 'experts', icon: 'Medal', title: 'menu.experts',
    visible: () => !!scopeOf('expert.read') },
  // rooms are listed to whoever reads the teaching resources; room.write edits them
  { path: '/rooms', name: 'rooms', icon: 'House', title: 'menu.rooms',
    visible: () => !!scopeOf('expert.read') || !!scopeOf('room.write') },
  // trainees and lecturers, and anyone else who turns out to have sessions
  { path: '/schedule', name: 'schedule', icon: 'Calendar', title: 'menu.schedule',
    visible: () => !!session.user && (!!session.user.cadre_id || !!session.user.expert_id
      || ['trainee', 'expert'].includes(session.user.role) || hasSchedule.value) },
  { path: '/units', name: 'units', icon: 'OfficeBuilding', title: 'menu.units',
    visible: () => !!scopeOf('unit.write') },
  { path: '/users', name: 'users', icon: 'Avatar', title: 'menu.users',
    visible: () => !!scopeOf('user.read') },
  { path: '/logs', name: 'logs', icon: 'Document', title: 'menu.logs',
    visible: () => !!scopeOf('audit.read') },
];

export function visiblePages() {
  return pages.filter((p) => p.visible());
}

export function homePath() {
  return visiblePages()[0]?.path ?? '/welcome';
}
