import { NTag, type DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { RouterLink } from 'vue-router';
import type { UserSummary } from '../../api/users';
import LocalTime from '../../components/local-time.vue';

/** Columns of the users table; phones keep only what identifies a row and its state. */

export const USERS_PAGE_SIZE = 50;
export const SEARCH_DEBOUNCE_MS = 300;

function roleTags(roles: string[]) {
  if (roles.length === 0) return h('span', { class: 'muted' }, 'user');
  return roles.map((role) =>
    h(NTag, { size: 'small', type: role === 'admin' ? 'warning' : 'info', style: 'margin-right: 4px' }, () => role),
  );
}

export function mfaWords(mfa: UserSummary['mfa']): string {
  const methods = [mfa.totp && 'app', mfa.email && 'email', mfa.passkey && 'passkey'].filter(Boolean);
  return methods.length > 0 ? methods.join(' + ') : 'none';
}

function statusTag(user: UserSummary) {
  return user.locked
    ? h(NTag, { size: 'small', type: 'error' }, () => 'locked')
    : // Plain text: naive-ui's green tag is too faint for small text (WCAG AA contrast).
      h('span', {}, 'active');
}

const emailColumn = {
  title: 'Email',
  key: 'email',
  ellipsis: { tooltip: true },
  render: (user: UserSummary) =>
    h(RouterLink, { to: { name: 'user', params: { id: user.id } }, 'data-test': 'user-link' }, () => user.email),
};

export function userColumns(isPhone: boolean): DataTableColumns<UserSummary> {
  if (isPhone) {
    // Two columns fit 375 px; the second factor goes under the address instead of its own column.
    return [
      {
        title: 'Email',
        key: 'email',
        render: (user) =>
          h('div', { style: 'overflow-wrap: anywhere' }, [
            h(
              RouterLink,
              { to: { name: 'user', params: { id: user.id } }, 'data-test': 'user-link' },
              () => user.email,
            ),
            h('div', { style: 'font-size: 0.8125rem; opacity: 0.8' }, `Two-step: ${mfaWords(user.mfa)}`),
          ]),
      },
      { title: 'State', key: 'locked', width: 76, render: statusTag },
    ];
  }
  return [
    emailColumn,
    { title: 'Roles', key: 'roles', width: 150, render: (user) => roleTags(user.roles) },
    { title: 'Two-step', key: 'mfa', width: 110, render: (user) => mfaWords(user.mfa) },
    { title: 'State', key: 'locked', width: 90, render: statusTag },
    {
      title: 'Last sign-in',
      key: 'lastLoginAt',
      width: 190,
      render: (user) => h(LocalTime, { value: user.lastLoginAt }),
    },
    { title: 'Created', key: 'createdAt', width: 190, render: (user) => h(LocalTime, { value: user.createdAt }) },
  ];
}

/** The API takes 1 to 500 characters of reason for an MFA reset. */
export const RESET_REASON_MAX = 500;

export function isResetReasonValid(reason: string): boolean {
  const trimmed = reason.trim();
  return trimmed.length > 0 && trimmed.length <= RESET_REASON_MAX;
}

/** Typing the address proves the admin is looking at the account they mean to reset. */
export function confirmsEmail(typed: string, email: string): boolean {
  return email !== '' && typed.trim().toLowerCase() === email.trim().toLowerCase();
}
