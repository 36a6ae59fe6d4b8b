// vocabularies.js — the server's code lists with labels in the request's language (rank
// levels, categories, unit types, roles …).
import { http } from './client.js';

export const vocabulariesApi = {
  get: () => http.get('/vocabularies'),
};
