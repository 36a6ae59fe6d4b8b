// format.js — timestamps in tables and timelines.
const pad = (n) => String(n).padStart(2, '0');

// An ISO time from the server (UTC) as local "YYYY-MM-DD HH:mm": the form of the national
// standard (GB/T 7408) that Chinese admin users expect in tables, in either language.
export function fmtTime(iso, seconds = false) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const s = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return seconds ? s + ':' + pad(d.getSeconds()) : s;
}
