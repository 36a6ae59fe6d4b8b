// plans.js — annual training plans (年度培训计划) and their approval chain.
import { http } from './client.js';
import { resource } from './resource.js';

const { list, get, create, update, exportXlsx } = resource('/plans');

export const plansApi = {
  list, get, create, update, exportXlsx,
  // action: submit | resubmit | approve | reject
  approve: (id, action, comment) => http.post(`/plans/${id}/approval`, { action, comment }),
  // a class into the plan / out of it: the plan comes back (its class count)
  addClass: (id, classId) => http.put(`/plans/${id}/classes/${classId}`),
  removeClass: (id, classId) => http.del(`/plans/${id}/classes/${classId}`),
};
