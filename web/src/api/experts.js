// experts.js — the experts (师资库) with their half-day availability, and an expert's week
// grid (also as .ics).
import { http, download } from './client.js';
import { resource } from './resource.js';

const { list, get, create, update, exportXlsx } = resource('/experts');

export const expertsApi = {
  list, get, create, update, exportXlsx,
  // range: {from, to} ('YYYY-MM-DD'), or {} for where the expert's sessions are
  timetable: (id, range) => http.get(`/experts/${id}/timetable`, range),
  timetableIcs: (id, range, fallbackName) => download(`/experts/${id}/timetable.ics`, range, fallbackName),
};
