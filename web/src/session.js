// session.js — who is logged in, with the permissions the server granted
// (GET/POST /api/v1/session → user.permissions: {"cadre.read": "region", …}).
// The UI shapes its menu and buttons from these; the server checks every request anyway.
import { reactive, computed, ref } from 'vue';
import { api, setCsrf } from './api.js';

export const session = reactive({ user: null, loaded: false });

function accept(data) {
  const changed = session.user?.id !== data.user?.id;
  session.user = data.user;
  setCsrf(data.csrf_token);
  if (changed) probeSchedule();
  return data.user;
}

// Whether a user who is neither a trainee nor a lecturer still has sessions of its own
// (GET /me/schedule), which adds 我的课表 to its menu. Asked once per login.
export const hasSchedule = ref(false);
function probeSchedule() {
  hasSchedule.value = false;
  const u = session.user;
  if (!u || u.must_change_password || u.cadre_id || u.expert_id || ['trainee', 'expert', 'sysadmin'].includes(u.role)) return;
  const id = u.id;
  api.get('/me/schedule', null, { quiet401: true })
    .then((r) => { if (session.user?.id === id) hasSchedule.value = (r?.sessions?.length ?? 0) > 0; })
    .catch(() => {});
}

export async function loadSession() {
  try {
    accept(await api.get('/session', null, { quiet401: true }));
  } catch (e) {
    if (e.status !== 401) throw e;
    session.user = null;
  } finally {
    session.loaded = true;
  }
  return session.user;
}

export async function login(username, password) {
  return accept(await api.post('/session', { username, password }));
}

export async function logout() {
  try { await api.del('/session'); } catch { /* already gone */ }
  session.user = null;
  hasSchedule.value = false;
  setCsrf('');
}

export async function changePassword(oldPassword, newPassword) {
  return accept(await api.put('/session/password', { old_password: oldPassword, new_password: newPassword }));
}

export function clearSession() {
  session.user = null;
  hasSchedule.value = false;
  setCsrf('');
}

// The scope of a permission ('all', 'region', 'unit', 'self', 'classes'), or '' if none.
export function scopeOf(perm) {
  return session.user?.permissions?.[perm] ?? '';
}
export function can(perm) { return !!scopeOf(perm); }

export const role = computed(() => session.user?.role ?? '');
