import { createRouter, createWebHistory, type RouterHistory } from 'vue-router';
import { useSessionStore } from '../stores/session';
import { installGuards } from './guards';
import { routes } from './routes';

export function createConsoleRouter(history: RouterHistory = createWebHistory('/')) {
  // One app for /admin (the console) and /account (the end user's pages): the history base is '/',
  // while Vite's `base` ('/admin/') only says where the assets live.
  const router = createRouter({ history, routes });
  installGuards(router, () => useSessionStore());
  router.afterEach((to) => {
    const area = to.matched.some((record) => record.meta.area === 'account') ? 'Your account' : 'Admin console';
    document.title = to.meta.title ? `${to.meta.title} · ${area}` : area;
  });
  return router;
}
