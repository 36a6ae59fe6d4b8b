// rooms.js — rooms (教室) of the teaching sites, and a room's week grid.
import { http } from './client.js';
import { resource } from './resource.js';

const { list, create, update, exportXlsx } = resource('/rooms');

export const roomsApi = {
  list, create, update, exportXlsx,
  // range: {from, to} ('YYYY-MM-DD'), or {} for where the room's sessions are
  timetable: (id, range) => http.get(`/rooms/${id}/timetable`, range),
};
