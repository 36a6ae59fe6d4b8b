// menu.js — the pages and the permission each needs. The side menu shows exactly the
// pages whose `visible` test passes for the logged-in user's permissions; the router
// refuses the others the same way.
import { scopeOf } from './session.js';

export const pages = [
  { path: '/overview', name: 'overview', icon: 'DataAnalysis', title: 'menu.overview',
    visible: () => !!scopeOf('stats.read') },
  // 'self' (a trainee) reads only its own record: that comes with the trainee pages.
  { path: '/registry', name: 'registry', icon: 'User', title: 'menu.registry',
    visible: () => ['all', 'region', 'unit', 'classes'].includes(scopeOf('cadre.read')) },
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
