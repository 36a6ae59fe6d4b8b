// timetable.js — what the week grids, the session lists and the phone schedule share:
// dates with their weekday, the colour of each session kind, the default half-day times.
import { t, locale } from './i18n.js';

// 'YYYY-MM-DD' → a UTC Date (no time-zone drift: the day is the day).
export function parseDay(s) {
  const [y, m, d] = String(s).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

export function fmtDay(date) {
  return date.toISOString().slice(0, 10);
}

export function addDays(s, n) {
  const d = parseDay(s);
  d.setUTCDate(d.getUTCDate() + n);
  return fmtDay(d);
}

export function todayStr() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// Monday of the week of `s`.
export function weekStart(s) {
  const d = parseDay(s);
  return addDays(s, -((d.getUTCDay() + 6) % 7));
}

export function daysBetween(from, to) {
  const out = [];
  for (let d = from, i = 0; d <= to && i < 400; d = addDays(d, 1), i++) out.push(d);
  return out;
}

export function weekday(s) {
  return t('tt.weekdays').split(',')[parseDay(s).getUTCDay()];
}

// "2月18日" / "Feb 18"
export function monthDay(s) {
  const d = parseDay(s);
  if (locale.value === 'en') return d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

// "2月18日 星期六" / "Sat, Feb 18"
export function dayTitle(s) {
  return locale.value === 'en' ? `${weekday(s)}, ${monthDay(s)}` : `${monthDay(s)} ${weekday(s)}`;
}

export function isWeekend(s) {
  const w = parseDay(s).getUTCDay();
  return w === 0 || w === 6;
}

// Half-days as the server defines them (used when a grid comes without its slots).
export const defaultSlots = () => [
  { slot: 0, label: t('tt.slot0'), start: '08:30', end: '11:30' },
  { slot: 1, label: t('tt.slot1'), start: '14:30', end: '17:30' },
  { slot: 2, label: t('tt.slot2'), start: '19:00', end: '21:00' },
];

// One colour per session kind: the left bar and the tint of a card, the legend.
export const kindColors = {
  lecture: { bar: '#2f7de1', bg: '#eef5fe' },
  seminar: { bar: '#2e9e5b', bg: '#edf8f1' },
  site_visit: { bar: '#d98c12', bg: '#fdf5e8' },
  opening: { bar: '#c0392b', bg: '#fcefed' },
  closing: { bar: '#8e44ad', bg: '#f6eef9' },
  self_study: { bar: '#7d8590', bg: '#f3f4f6' },
  exchange: { bar: '#138d8a', bg: '#e9f6f6' },
};

export function kindStyle(kind) {
  const c = kindColors[kind] ?? kindColors.self_study;
  return { '--kind-bar': c.bar, '--kind-bg': c.bg };
}

// The rooms of a session in words: the room, or a seminar's rooms of every group.
export function roomNames(s) {
  const names = [];
  if (s.room?.name) names.push(s.room.name);
  for (const g of s.group_rooms ?? []) if (g.name) names.push(g.name);
  return names;
}

export function expertNames(s) {
  return (s.experts ?? []).map((e) => e.name).filter(Boolean).join('、');
}

export function sortByPlacement(list) {
  return [...list].sort((a, b) => (a.day ?? '9999').localeCompare(b.day ?? '9999') || (a.slot ?? 9) - (b.slot ?? 9)
    || (a.start_time ?? '').localeCompare(b.start_time ?? '') || a.id - b.id);
}
