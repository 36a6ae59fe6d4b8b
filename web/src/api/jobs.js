// jobs.js — a background job's progress and result (e.g. auto-arranging a timetable).
import { http } from './client.js';

export const jobsApi = {
  get: (id) => http.get(`/jobs/${id}`),
  // a queued job at once, a running solve at its next step (nothing of it is saved)
  cancel: (id) => http.post(`/jobs/${id}/cancel`),
};
