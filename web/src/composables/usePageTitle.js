// usePageTitle — a page names itself more precisely than its row of router/pages.js (a
// class by its name, an expert's timetable by the expert's): the tabs bar, the breadcrumb's
// last step and the browser's tab title follow.
//
//   usePageTitle(() => cls.value?.name);
import { watch } from 'vue';
import { useRoute } from 'vue-router';
import { useTabsStore } from '@/stores/tabs.js';

export function usePageTitle(text) {
  const route = useRoute();
  const tabs = useTabsStore();
  const path = route.path;
  watch(text, (v) => { if (v) tabs.setText(path, v); }, { immediate: true });
}
