// session.js — who is logged in, with the permissions the server granted
// (GET/POST /api/v1/session → user.permissions: {"cadre.read": "region", …}). The menu,
// the router and the buttons follow these; the server checks every request anyway.
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { sessionApi } from '@/api/session.js';
import { scheduleApi } from '@/api/schedule.js';
import { setCsrf } from '@/api/client.js';
import { locale } from '@/i18n/index.js';

export const useSessionStore = defineStore('session', () => {
  const user = ref(null);
  const loaded = ref(false);
  // Whether a user who is neither a trainee nor a lecturer still has sessions of its own
  // (GET /me/schedule), which adds 我的课表 to its menu. Asked once per login.
  const hasSchedule = ref(false);

  function probeSchedule() {
    hasSchedule.value = false;
    const u = user.value;
    if (!u || u.must_change_password || u.cadre_id || u.expert_id || ['trainee', 'expert', 'sysadmin'].includes(u.role)) return;
    const id = u.id;
    scheduleApi.mine({ quiet401: true })
      .then((r) => { if (user.value?.id === id) hasSchedule.value = (r?.sessions?.length ?? 0) > 0; })
      .catch(() => {});
  }

  function accept(data) {
    const changed = user.value?.id !== data.user?.id;
    user.value = data.user;
    setCsrf(data.csrf_token);
    if (changed) probeSchedule();
    return data.user;
  }

  function clear() {
    user.value = null;
    hasSchedule.value = false;
    setCsrf('');
  }

  async function load() {
    try {
      accept(await sessionApi.get());
    } catch (e) {
      if (e.status !== 401) throw e;
      user.value = null;
    } finally {
      loaded.value = true;
    }
    return user.value;
  }

  const login = async (username, password) => accept(await sessionApi.login(username, password));
  const changePassword = async (oldPassword, newPassword) => accept(await sessionApi.changePassword(oldPassword, newPassword));

  async function logout() {
    try { await sessionApi.logout(); } catch { /* already gone */ }
    clear();
  }

  // The scope of a permission ('all', 'region', 'unit', 'self', 'classes'), or '' if none.
  const scopeOf = (perm) => user.value?.permissions?.[perm] ?? '';
  const can = (perm) => !!scopeOf(perm);
  const role = computed(() => user.value?.role ?? '');

  // The role label and scope names come from the server in the request's language.
  watch(locale, () => { if (user.value) load().catch(() => {}); });

  // The person's name for the menu: the account's name, unless it only repeats the role (an
  // account made at the shell without one) — then a trainee's cadre name, or the user name.
  const personName = computed(() => {
    const u = user.value;
    if (!u) return '';
    if (u.display_name && u.display_name !== u.role_label) return u.display_name;
    return u.cadre_name || u.username;
  });

  return { user, loaded, hasSchedule, role, personName, load, login, logout, changePassword, clear, scopeOf, can };
});
