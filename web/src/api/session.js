// session.js — logging in and out, the logged-in user, one's own password (/session).
// A 401 here is an answer (wrong password, no session yet), not an expired session.
import { http } from './client.js';

const quiet = { quiet401: true };

export const sessionApi = {
  get: () => http.get('/session', null, quiet),
  login: (username, password) => http.post('/session', { username, password }, quiet),
  logout: () => http.del('/session', quiet),
  changePassword: (oldPassword, newPassword) =>
    http.put('/session/password', { old_password: oldPassword, new_password: newPassword }),
};
