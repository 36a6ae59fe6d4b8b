// stats.js — the counts and charts of the overview (概览).
import { http } from './client.js';

export const statsApi = {
  overview: () => http.get('/stats/overview'),
};
