import type { LocationQuery } from 'vue-router';
import type { EventFilters } from '../../api/events';
import { listUsers } from '../../api/users';
import { localDayEnd, localDayStart } from '../../format/time';

/** The event log's filters: the form's shape, its URL form, and what the API is sent. */

export const EVENTS_PAGE_SIZE = 50;

/**
 * Event types the service records today (libs/identity identity-events.ts). The select also
 * accepts a typed name, so a type added later can be filtered before this list catches up.
 */
export const KNOWN_EVENT_TYPES = [
  'UserRegistered',
  'LoginSucceeded',
  'LoginFailed',
  'AccountLocked',
  'AccountUnlocked',
  'SessionStarted',
  'SessionRevoked',
  'PasswordChanged',
  'StepUpCompleted',
  'StepUpFailed',
  'StepUpUsed',
  'AuthenticationFailed',
  'AuthenticationSucceeded',
  'TotpEnrollmentStarted',
  'TotpEnrolled',
  'TotpCodeRejected',
  'TotpReplayRejected',
  'TotpDisabled',
  'EmailCodeSent',
  'EmailCodeFailed',
  'EmailMfaEnabled',
  'EmailMfaDisabled',
  'RecoveryCodesGenerated',
  'RecoveryCodesRegenerated',
  'RecoveryCodesInvalidated',
  'RecoveryCodeUsed',
  'RecoveryCodeRejected',
  'RecoveryCodesViewed',
  'ChallengeIssued',
  'ChallengeFailed',
  'ChallengeCompleted',
  'ChallengeClosed',
  'EmailChangeRequested',
  'EmailChangeCodeFailed',
  'EmailChanged',
  'EmailReleased',
  'PasswordResetRequested',
  'RegistrationRequested',
  'RegistrationCodeSent',
  'RegistrationCodeFailed',
  'RegistrationConfirmed',
  'RegistrationExpired',
  'PasswordResetCompleted',
  'RolesChanged',
  'MfaResetByAdmin',
  'AccountLockedByAdmin',
  'AccountUnlockedByAdmin',
  'PersonalDataErased',
];

export const eventTypeOptions = KNOWN_EVENT_TYPES.map((type) => ({ label: type, value: type }));

/**
 * What the form holds: `account` is an email address or a user id; dates are local calendar days,
 * YYYY-MM-DD.
 */
export interface EventFilterForm {
  type: string | null;
  account: string;
  from: string | null;
  to: string | null;
}

export function emptyFilterForm(): EventFilterForm {
  return { type: null, account: '', from: null, to: null };
}

const text = (query: LocationQuery, key: string) => (typeof query[key] === 'string' ? (query[key] as string) : null);

/** The URL keeps the account's id (what the API filters on) and, when one was typed, its address to show. */
export function filterFormFromQuery(query: LocationQuery): EventFilterForm {
  return {
    type: text(query, 'type'),
    account: text(query, 'email') ?? text(query, 'userId') ?? '',
    from: text(query, 'from'),
    to: text(query, 'to'),
  };
}

/** The URL of the filters, with `userId` the account's id (resolved from an address by the caller). */
export function filterFormToQuery(form: EventFilterForm, userId: string | null): Record<string, string> {
  const query: Record<string, string> = {};
  if (form.type) query.type = form.type;
  if (userId) query.userId = userId;
  if (userId && isAddress(form.account)) query.email = form.account.trim();
  if (form.from) query.from = form.from;
  if (form.to) query.to = form.to;
  return query;
}

/** Whole local days, both ends included: "to" runs to the last millisecond of that day. */
export function filtersFromQuery(query: LocationQuery): EventFilters {
  const form = filterFormFromQuery(query);
  return {
    type: form.type ?? undefined,
    userId: text(query, 'userId') ?? undefined,
    from: form.from ? localDayStart(form.from) : undefined,
    to: form.to ? localDayEnd(form.to) : undefined,
  };
}

export const isAddress = (account: string) => account.includes('@');

/**
 * The id of the account the field names: a user id as typed, or the account that has this address
 * now (found with the users search, matched exactly, case aside); null when none has it.
 */
export async function resolveAccount(account: string, signal?: AbortSignal): Promise<string | null> {
  const typed = account.trim();
  if (!typed || !isAddress(typed)) return typed || null;
  const page = await listUsers({ q: typed, limit: 20 }, signal);
  return page.items.find((user) => user.email.toLowerCase() === typed.toLowerCase())?.id ?? null;
}
