// format.js — display helpers shared by the pages.
const pad = (n) => String(n).padStart(2, '0');

// An ISO time from the server (UTC) as local "YYYY-MM-DD HH:mm", the form Chinese
// admin users expect in tables, whatever the browser's locale.
export function fmtTime(iso, seconds = false) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const s = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return seconds ? s + ':' + pad(d.getSeconds()) : s;
}
