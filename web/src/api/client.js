// client.js — the one way the UI talks to the server: JSON under /api/v1, the caller's
// language in Accept-Language, the CSRF token on every write, errors as ApiError with
// the server's {code, message, details}. Also file downloads (fetched as a blob, so that an
// error shows as a message instead of a saved JSON file), uploads with progress
// (XMLHttpRequest: fetch has no upload progress) and attachments the browser opens itself.
// The files beside this one name the endpoints; nothing else in the UI does.
import { locale, t } from '@/i18n/index.js';

const BASE = '/api/v1';
let csrfToken = '';
let onUnauthenticated = () => {};

export function setCsrf(token) { csrfToken = token || ''; }
// Called on a 401 (the session has expired): main.js leads back to the login page.
export function setUnauthenticatedHandler(fn) { onUnauthenticated = fn; }

export class ApiError extends Error {
  constructor(status, body) {
    const e = body?.error ?? {};
    super(e.message || t('common.networkError'));
    this.status = status;
    this.code = e.code || (status ? 'http_' + status : 'network');
    this.details = Array.isArray(e.details) ? e.details : [];
    this.body = body;
  }

  // Field → message, for form items (the first message of each field wins).
  fieldErrors() {
    const out = {};
    for (const d of this.details) if (d.field && !out[d.field]) out[d.field] = d.message;
    return out;
  }
}

// {a: 1, b: '', c: null} → '?a=1' (empty values are left out).
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

function headers(method, extra) {
  const h = { 'Accept-Language': locale.value, Accept: 'application/json', ...extra };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) h['X-CSRF-Token'] = csrfToken;
  return h;
}

async function parse(res) {
  const type = res.headers.get('content-type') || '';
  if (res.status === 204) return null;
  if (type.includes('json')) return res.json();
  return null;
}

async function send(url, init) {
  try {
    return await fetch(url, { credentials: 'same-origin', ...init });
  } catch {
    throw new ApiError(0, null);
  }
}

// A failed reply as ApiError; a 401 also tells the app, unless the caller expects one.
async function failure(res, quiet401) {
  const err = new ApiError(res.status, await parse(res).catch(() => null));
  if (res.status === 401 && !quiet401) onUnauthenticated(err);
  return err;
}

async function request(method, path, body, { params, quiet401 = false } = {}) {
  const init = { method, headers: headers(method) };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const res = await send(BASE + path + query(params), init);
  if (!res.ok) throw await failure(res, quiet401);
  return parse(res).catch(() => null);
}

// opts: {params} (the query string), {quiet401} (a 401 is the caller's business).
export const http = {
  get: (path, params, opts) => request('GET', path, undefined, { ...opts, params }),
  post: (path, body, opts) => request('POST', path, body ?? {}, opts),
  put: (path, body, opts) => request('PUT', path, body, opts),
  del: (path, opts) => request('DELETE', path, undefined, opts),
};

function filenameFrom(res, fallback) {
  const cd = res.headers.get('content-disposition') || '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) {
    try { return decodeURIComponent(star[1]); } catch { /* fall through */ }
  }
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain ? plain[1] : fallback;
}

async function fetchFile(path, params) {
  const res = await send(BASE + path + query(params), { headers: headers('GET', { Accept: '*/*' }) });
  if (!res.ok) throw await failure(res, false);
  return res;
}

// GET a file and save it under the server's name (else fallbackName); resolves with the name.
export async function download(path, params, fallbackName) {
  const res = await fetchFile(path, params);
  const blob = await res.blob();
  const name = filenameFrom(res, fallbackName);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return name;
}

// Let the browser itself open a file (a phone then offers to add an .ics to its calendar,
// where a blob would only land in the downloads). It is asked for once first, so that a
// failure shows as a message instead of an error page.
export async function openFile(path) {
  await fetchFile(path);
  window.location.href = BASE + path; // served as an attachment: the page stays
}

// POST raw bytes with upload progress (0–100). Resolves with the JSON reply, rejects with ApiError.
export function upload(path, params, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', BASE + path + query(params));
    const h = headers('POST', { 'Content-Type': file.type && !file.type.includes('json') ? file.type : 'application/octet-stream' });
    for (const [k, v] of Object.entries(h)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(100);
        resolve(data);
      } else {
        if (xhr.status === 401) onUnauthenticated(new ApiError(401, data));
        reject(new ApiError(xhr.status, data));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.send(file);
  });
}
