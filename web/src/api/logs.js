// logs.js — the audit log (操作日志) and the login log (登录日志).
import { http } from './client.js';

export const logsApi = {
  audit: (params) => http.get('/audit-log', params),
  logins: (params) => http.get('/login-log', params),
};
