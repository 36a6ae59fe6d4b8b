// formats.js — how each language writes dates and numbers (vue-i18n's datetimeFormats
// and numberFormats, i.e. Intl options per locale). Days of a timetable are calendar days
// kept as UTC midnight (utils/dates.js), so their formats name the UTC time zone.
const utc = { timeZone: 'UTC' };

export const datetimeFormats = {
  'zh-CN': {
    monthDay: { ...utc, month: 'short', day: 'numeric' }, // 2月18日
    monthDayShort: { ...utc, month: 'short', day: 'numeric' }, // 2月18日 (a calendar cell)
    weekday: { ...utc, weekday: 'long' }, // 星期六
    fullDay: { ...utc, year: 'numeric', month: 'long', day: 'numeric' }, // 2023年2月18日
  },
  en: {
    monthDay: { ...utc, month: 'short', day: 'numeric' }, // Feb 18
    monthDayShort: { ...utc, month: 'numeric', day: 'numeric' }, // 2/18
    weekday: { ...utc, weekday: 'short' }, // Sat
    fullDay: { ...utc, year: 'numeric', month: 'short', day: 'numeric' }, // Feb 18, 2023
  },
};

const numbers = {
  integer: { maximumFractionDigits: 0 }, // 12,345
  decimal1: { minimumFractionDigits: 1, maximumFractionDigits: 1 }, // 42.5
  money: { minimumFractionDigits: 2, maximumFractionDigits: 2 }, // 12,345.00 (yuan)
  percent1: { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }, // 88.4%
};

export const numberFormats = { 'zh-CN': numbers, en: numbers };
