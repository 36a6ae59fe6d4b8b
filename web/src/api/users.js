// users.js — accounts (用户管理): list, create (the initial password comes back once),
// edit, reset a password.
import { http } from './client.js';
import { resource } from './resource.js';

const { list, create, update, exportXlsx } = resource('/users');

export const usersApi = {
  list, create, update, exportXlsx,
  resetPassword: (id) => http.post(`/users/${id}/password`),
};
