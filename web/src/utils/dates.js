// dates.js — calendar days as the server writes them ('YYYY-MM-DD'): arithmetic on them,
// and their names in the UI's language (i18n/formats.js). A day is kept as UTC midnight,
// so no time zone shifts it.
import { d, t } from '@/i18n/index.js';

// 'YYYY-MM-DD' → a UTC Date.
export function parseDay(s) {
  const [y, m, day] = String(s).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, day));
}

export function fmtDay(date) {
  return date.toISOString().slice(0, 10);
}

export function addDays(s, n) {
  const date = parseDay(s);
  date.setUTCDate(date.getUTCDate() + n);
  return fmtDay(date);
}

// Today in the browser's time zone.
export function todayStr() {
  const now = new Date();
  const pad = (x) => String(x).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// Monday of the week of `s`.
export function weekStart(s) {
  return addDays(s, -((parseDay(s).getUTCDay() + 6) % 7));
}

export function daysBetween(from, to) {
  const out = [];
  for (let day = from, i = 0; day <= to && i < 400; day = addDays(day, 1), i++) out.push(day);
  return out;
}

export function isWeekend(s) {
  const w = parseDay(s).getUTCDay();
  return w === 0 || w === 6;
}

// "星期六" / "Sat"
export const weekday = (s) => d(parseDay(s), 'weekday');
// "2月18日" / "Feb 18"
export const monthDay = (s) => d(parseDay(s), 'monthDay');
// "2023年2月18日" / "Feb 18, 2023"
export const fullDay = (s) => d(parseDay(s), 'fullDay');
// "2月18日" / "2/18" (a small calendar cell)
export const monthDayShort = (s) => d(parseDay(s), 'monthDayShort');
// "2月18日 星期六" / "Sat, Feb 18"
export const dayTitle = (s) => t('tt.dayTitle', { date: monthDay(s), weekday: weekday(s) });
