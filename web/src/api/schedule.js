// schedule.js — one's own schedule (我的课表): a trainee's classes, a lecturer's lectures,
// and the same as an .ics the phone's calendar takes.
import { http, openFile } from './client.js';

export const scheduleApi = {
  mine: (opts) => http.get('/me/schedule', null, opts),
  openIcs: () => openFile('/me/schedule.ics'),
};
