// tabs.js — the pages open in the tabs bar (标签页, as in RuoYi): every page visited since
// login once (by path), in the order opened; the home page first and not closable; a title a
// page gives itself (a class's name) in place of its page's. Kept per user in
// sessionStorage, so the bar survives a reload of the browser tab but not a new login.
import { defineStore } from 'pinia';
import { ref } from 'vue';

const KEY = 'px_tabs';

export const useTabsStore = defineStore('tabs', () => {
  // [{ path, fullPath, title (message key), text (the page's own title, or '') }]
  const tabs = ref([]);
  let owner = null;

  function save() {
    try { sessionStorage.setItem(KEY, JSON.stringify({ owner, tabs: tabs.value })); } catch { /* storage disabled */ }
  }

  // The tabs of `user` (an id): those kept for it, else only the home page's.
  function start(user, home) {
    if (owner === user) return;
    owner = user;
    let kept = null;
    try { kept = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch { /* none */ }
    tabs.value = kept && kept.owner === user && Array.isArray(kept.tabs) ? kept.tabs : [];
    if (home && !tabs.value.some((x) => x.path === home.path)) tabs.value.unshift({ ...home, fullPath: home.path, text: '' });
    tabs.value.forEach((x) => { x.affix = x.path === home?.path; });
    save();
  }

  // A page was opened: its tab (added at the end, or brought up to date).
  function visit(path, fullPath, title) {
    const old = tabs.value.find((x) => x.path === path);
    if (old) Object.assign(old, { fullPath, title });
    else tabs.value.push({ path, fullPath, title, text: '', affix: false });
    save();
  }

  // The page's own title (a class's name) for its tab.
  function setText(path, text) {
    const x = tabs.value.find((y) => y.path === path);
    if (x && x.text !== text) {
      x.text = text;
      save();
    }
  }

  // Close `path`; returns where to go when it was the current page (its right-hand
  // neighbour, else its left-hand one), else null.
  function close(path, current) {
    const i = tabs.value.findIndex((x) => x.path === path);
    if (i < 0 || tabs.value[i].affix) return null;
    tabs.value.splice(i, 1);
    save();
    if (path !== current) return null;
    const next = tabs.value[i] ?? tabs.value[i - 1];
    return next ? next.fullPath : '/';
  }

  // Keep the affixed tab and `path` only (the others closed).
  function closeOthers(path) {
    tabs.value = tabs.value.filter((x) => x.affix || x.path === path);
    save();
  }

  function clear() {
    owner = null;
    tabs.value = [];
    try { sessionStorage.removeItem(KEY); } catch { /* storage disabled */ }
  }

  return { tabs, start, visit, setText, close, closeOthers, clear };
});
