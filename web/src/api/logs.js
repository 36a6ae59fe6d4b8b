// logs.js — the audit log (操作日志) and the login log (登录日志), and each as .xlsx.
import { http, download } from './client.js';

export const logsApi = {
  audit: (params) => http.get('/audit-log', params),
  logins: (params) => http.get('/login-log', params),
  auditXlsx: (params) => download('/audit-log', { ...params, format: 'xlsx' }, '操作日志.xlsx'),
  loginsXlsx: (params) => download('/login-log', { ...params, format: 'xlsx' }, '登录日志.xlsx'),
};
