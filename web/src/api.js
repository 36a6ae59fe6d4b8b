// api.js — the one way the UI talks to the server: JSON under /api/v1, the caller's
// language in Accept-Language, the CSRF token on every write, errors as ApiError with
// the server's {code, message, details}. Also file downloads (blob) and uploads with
// progress (XMLHttpRequest, since fetch has no upload progress).
import { locale, t } from './i18n.js';

let csrfToken = '';
let onUnauthenticated = () => {};

export function setCsrf(token) { csrfToken = token || ''; }
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

export async function request(method, path, body, { quiet401 = false } = {}) {
  const init = { method, headers: headers(method), credentials: 'same-origin' };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch('/api/v1' + path, init);
  } catch {
    throw new ApiError(0, null);
  }
  const data = await parse(res).catch(() => null);
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401 && !quiet401 && path !== '/session') onUnauthenticated(err);
    throw err;
  }
  return data;
}

export const api = {
  get: (p, params, opts) => request('GET', p + query(params), undefined, opts),
  post: (p, body) => request('POST', p, body ?? {}),
  put: (p, body) => request('PUT', p, body),
  del: (p) => request('DELETE', p),
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

// GET a file and save it: fetch first so that an error shows as a message instead of a
// downloaded JSON file.
export async function download(path, params, fallbackName) {
  let res;
  try {
    res = await fetch('/api/v1' + path + query(params), { headers: headers('GET', { Accept: '*/*' }), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, null);
  }
  if (!res.ok) {
    const data = await parse(res).catch(() => null);
    if (res.status === 401) onUnauthenticated(new ApiError(401, data));
    throw new ApiError(res.status, data);
  }
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

// POST raw bytes with upload progress. Resolves with the JSON reply, rejects with ApiError.
export function upload(path, params, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1' + path + query(params));
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
