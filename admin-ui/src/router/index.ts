import { createRouter, createWebHistory, type RouterHistory } from 'vue-router';
import { useSessionStore } from '../stores/session';
import { installGuards } from './guards';
import { routes } from './routes';

export function createConsoleRouter(history: RouterHistory = createWebHistory(import.meta.env.BASE_URL)) {
  // BASE_URL is Vite's `base`, '/admin/': the API serves the console there.
  const router = createRouter({ history, routes });
  installGuards(router, () => useSessionStore());
  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} · Admin console` : 'Admin console';
  });
  return router;
}
