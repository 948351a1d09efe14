import type { RouteRecordRaw } from 'vue-router';
import { accountGuards, anonymousGuards, consoleGuards, signedInGuards } from './guards';

/**
 * One app, two areas: the console under /admin (auditors, admins) and the end user's own security
 * pages under /account. The API serves index.html for both; the history base is '/'.
 * Every page is its own chunk, so signing in does not download the charts or tables.
 */
export const routes: RouteRecordRaw[] = [
  {
    path: '/admin/sign-in',
    name: 'sign-in',
    component: () => import('../views/sign-in/index.vue'),
    meta: { guard: anonymousGuards, title: 'Sign in' },
  },
  {
    path: '/admin/forbidden',
    name: 'forbidden',
    component: () => import('../views/forbidden/index.vue'),
    meta: { guard: signedInGuards, title: 'No access' },
  },
  {
    path: '/admin',
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
  { path: '/admin/:pathMatch(.*)*', redirect: { name: 'dashboard' } },
  {
    path: '/account/sign-in',
    name: 'account-sign-in',
    component: () => import('../views/sign-in/index.vue'),
    props: { area: 'account' },
    meta: { guard: anonymousGuards, title: 'Sign in', area: 'account' },
  },
  {
    path: '/account/register',
    name: 'account-register',
    component: () => import('../views/account/register.vue'),
    meta: { guard: anonymousGuards, title: 'Create an account', area: 'account' },
  },
  {
    path: '/account/forgot-password',
    name: 'account-forgot-password',
    component: () => import('../views/account/forgot-password.vue'),
    meta: { guard: anonymousGuards, title: 'Forgot password', area: 'account' },
  },
  {
    // The emailed link: /account/reset#token=... (a fragment, so the token never reaches a server log).
    path: '/account/reset',
    name: 'account-reset',
    component: () => import('../views/account/reset.vue'),
    meta: { guard: anonymousGuards, title: 'Choose a new password', area: 'account' },
  },
  {
    path: '/account',
    component: () => import('../layouts/account-layout.vue'),
    meta: { guard: accountGuards, area: 'account' },
    children: [
      { path: '', redirect: { name: 'account-security' } },
      {
        path: 'security',
        name: 'account-security',
        component: () => import('../views/account/security.vue'),
        meta: { title: 'Security' },
      },
      {
        path: 'sessions',
        name: 'account-sessions',
        component: () => import('../views/account/sessions.vue'),
        meta: { title: 'Devices and sessions' },
      },
      {
        path: 'activity',
        name: 'account-activity',
        component: () => import('../views/account/activity.vue'),
        meta: { title: 'Recent activity' },
      },
    ],
  },
  { path: '/account/:pathMatch(.*)*', redirect: { name: 'account-security' } },
  { path: '/:pathMatch(.*)*', redirect: { name: 'account-security' } },
];

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    /** 'account' for the end user's pages; the console otherwise. */
    area?: 'account';
  }
}
