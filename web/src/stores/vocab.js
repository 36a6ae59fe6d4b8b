// vocab.js — the server's code lists (GET /api/v1/vocabularies) in the current language,
// loaded once per language. The training lists fall back to built-in labels when the
// server does not list them; the server's lists win when present.
import { defineStore } from 'pinia';
import { reactive, watch } from 'vue';
import { vocabulariesApi } from '@/api/vocabularies.js';
import { locale } from '@/i18n/index.js';

// The training vocabularies as the server's enums.c names them: [code, zh, en].
const fallback = {
  class_kind: [['main', '主体班', 'Main course'], ['topic', '专题班', 'Topical course'], ['appointment', '任职培训', 'Training on appointment'], ['offsite', '异地培训', 'Off-site training'], ['online', '网络专题', 'Online course']],
  class_status: [['draft', '草稿', 'Draft'], ['published', '已发布', 'Published'], ['enrolling', '报名中', 'Enrolling'], ['running', '进行中', 'Running'], ['completed', '已结业', 'Completed'], ['archived', '已归档', 'Archived']],
  session_kind: [['lecture', '专题讲座', 'Lecture'], ['seminar', '主题研讨', 'Seminar'], ['site_visit', '现场教学', 'Site visit'], ['opening', '开班式', 'Opening'], ['closing', '结业式', 'Closing'], ['self_study', '自学', 'Self-study'], ['exchange', '交流', 'Exchange']],
  room_kind: [['lecture_hall', '教室/报告厅', 'Lecture hall'], ['seminar_room', '研讨室', 'Seminar room'], ['offsite', '现场/校外', 'Off-site'], ['any', '不限', 'Any room'], ['none', '无需教室', 'No room']],
  slot: [['morning', '上午', 'Morning'], ['afternoon', '下午', 'Afternoon'], ['evening', '晚上', 'Evening']],
  approval: [['none', '未提交', 'Not submitted'], ['submitted', '审批中', 'Awaiting approval'], ['approved', '已通过', 'Approved'], ['rejected', '已退回', 'Returned']],
  enrollment: [['proposed', '拟调训', 'Proposed'], ['notified', '已通知', 'Notified'], ['confirmed', '已确认', 'Confirmed'], ['reported', '已报到', 'Reported'], ['completed', '已结业', 'Completed'], ['withdrawn', '退学', 'Withdrawn'], ['replaced', '已替换', 'Replaced'], ['declined', '请辞', 'Declined']],
};

function withFallback(v, lang) {
  const out = { ...v };
  for (const [name, items] of Object.entries(fallback)) {
    if (Array.isArray(out[name]) && out[name].length) continue;
    out[name] = items.map(([code, zh, en]) => ({ code, label: lang === 'en' ? en : zh, zh, en }));
  }
  return out;
}

export const useVocabStore = defineStore('vocab', () => {
  const lists = reactive({
    rank_level: [], rank_position: [], grade: [], category: [], unit_type: [], status: [], gender: [], region_level: [], role: [],
    class_kind: [], class_status: [], session_kind: [], room_kind: [], slot: [], approval: [], enrollment: [],
    audit_entity: [], audit_action: [], login_outcome: [],
  });
  let loadedFor = '';
  let pending = null;

  function load() {
    if (loadedFor === locale.value) return Promise.resolve(lists);
    if (pending) return pending;
    const want = locale.value;
    pending = vocabulariesApi.get().then((v) => {
      Object.assign(lists, withFallback(v, want));
      loadedFor = want;
      return lists;
    }).finally(() => { pending = null; });
    return pending;
  }

  const label = (list, code) => lists[list]?.find((x) => x.code === code)?.label ?? code ?? '';
  // A list as select options ({value, label}).
  const options = (list) => lists[list].map((x) => ({ value: x.code, label: x.label }));

  watch(locale, () => { load().catch(() => {}); });

  return { lists, load, label, options };
});
