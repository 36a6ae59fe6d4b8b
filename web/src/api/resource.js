// resource.js — the calls a REST collection of the API answers alike (GET /things,
// GET/PUT/DELETE /things/{id}, POST /things; a list as .xlsx with ?format=xlsx). A module
// takes the ones its endpoint has: `const { list, create } = resource('/things')`.
import { http, download } from './client.js';

export function resource(path) {
  return {
    list: (params) => http.get(path, params),
    get: (id) => http.get(`${path}/${id}`),
    create: (body) => http.post(path, body),
    update: (id, body) => http.put(`${path}/${id}`, body),
    remove: (id) => http.del(`${path}/${id}`),
    exportXlsx: (params, fallbackName) => download(path, { ...params, format: 'xlsx' }, fallbackName),
  };
}
