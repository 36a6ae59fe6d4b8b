// sessions.js — one session of a class (课程): edit, remove, place (day, half-day, rooms,
// pin). A dry run answers the conflicts a placement would cause and changes nothing.
import { http } from './client.js';
import { resource } from './resource.js';

const { update, remove } = resource('/sessions');

export const sessionsApi = {
  update, remove,
  place: (id, body, { dryRun = false } = {}) =>
    http.put(`/sessions/${id}/placement`, body, { params: dryRun ? { dry_run: 1 } : null }),
};
