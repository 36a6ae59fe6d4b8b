// timetable.js — what the week grids, the session lists and the phone schedule share
// about sessions: the default half-days, the colour of each kind, rooms and lecturers in
// words, the order on the grid.
import { t } from '@/i18n/index.js';

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
