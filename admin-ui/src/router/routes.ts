import type { RouteRecordRaw } from 'vue-router';
import { anonymousGuards, consoleGuards, signedInGuards } from './guards';

// Every page is its own chunk, so signing in does not download the charts or tables.
export const routes: RouteRecordRaw[] = [
  {
    path: '/sign-in',
    name: 'sign-in',
    component: () => import('../views/sign-in/index.vue'),
    meta: { guard: anonymousGuards, title: 'Sign in' },
  },
  {
    path: '/forbidden',
    name: 'forbidden',
    component: () => import('../views/forbidden/index.vue'),
    meta: { guard: signedInGuards, title: 'No access' },
  },
  {
    path: '/',
    component: () => import('../layouts/console-layout.vue'),
    meta: { guard: consoleGuards },
    children: [
      {
        path: '',
        name: 'dashboard',
        component: () => import('../views/dashboard/index.vue'),
        meta: { title: 'Dashboard' },
      },
      {
        path: 'users',
        name: 'users',
        component: () => import('../views/users/list.vue'),
        meta: { title: 'Users' },
      },
      {
        path: 'users/:id',
        name: 'user',
        component: () => import('../views/users/detail.vue'),
        props: true,
        meta: { title: 'User' },
      },
      {
        path: 'events',
        name: 'events',
        component: () => import('../views/events/list.vue'),
        meta: { title: 'Event log' },
      },
    ],
  },
  { path: '/:pathMatch(.*)*', redirect: { name: 'dashboard' } },
];

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
  }
}
