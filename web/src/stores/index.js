// index.js — the one Pinia instance, for code outside components (the router's guard, the
// 401 handler) as well as for the app.
import { createPinia } from 'pinia';

export const pinia = createPinia();
