import { createRouter, createWebHistory } from 'vue-router';

export const router = createRouter({
  // BASE_URL is Vite's `base`, '/admin/': the API serves the console there.
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    { path: '/', name: 'home', component: () => import('../views/home/index.vue') },
    { path: '/:pathMatch(.*)*', redirect: { name: 'home' } },
  ],
});
