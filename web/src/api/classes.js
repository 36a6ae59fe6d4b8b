// classes.js — classes (培训班): list, create, edit, delete, the approval of an ad-hoc
// class, its sessions, its week grid (also as PDF and .ics) and auto-arranging it.
import { http, download } from './client.js';
import { resource } from './resource.js';

const { list, get, create, update, remove, exportXlsx } = resource('/classes');

export const classesApi = {
  list, get, create, update, remove, exportXlsx,
  approve: (id, action, comment) => http.post(`/classes/${id}/approval`, { action, comment }),
  addSession: (id, body) => http.post(`/classes/${id}/sessions`, body),
  timetable: (id) => http.get(`/classes/${id}/timetable`),
  // ext: pdf | ics
  timetableFile: (id, ext, fallbackName) => download(`/classes/${id}/timetable.${ext}`, null, fallbackName),
  // 202: {job_id, status, classes} — follow it with jobsApi.get; its result is a proposal
  solve: (id, body) => http.post(`/classes/${id}/timetable/solve`, body),
  // the cost of the timetable as it stands, by constraint
  timetableCost: (id) => http.get(`/classes/${id}/timetable/cost`),
  // a finished solve's proposal applied (409 when the timetable changed since)
  applyProposal: (id, jobId) => http.post(`/classes/${id}/timetable/apply`, { job_id: jobId }),
  // whether the last applied proposal can be undone (and why not); the undo
  undoState: (id) => http.get(`/classes/${id}/timetable/undo`),
  undo: (id) => http.post(`/classes/${id}/timetable/undo`),
};
