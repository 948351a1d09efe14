import type { LocationQuery } from 'vue-router';
import type { EventFilters } from '../../api/events';
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

/** What the form holds; dates are local calendar days, YYYY-MM-DD. */
export interface EventFilterForm {
  type: string | null;
  userId: string;
  from: string | null;
  to: string | null;
}

export function emptyFilterForm(): EventFilterForm {
  return { type: null, userId: '', from: null, to: null };
}

export function filterFormFromQuery(query: LocationQuery): EventFilterForm {
  const text = (key: string) => (typeof query[key] === 'string' ? (query[key] as string) : null);
  return { type: text('type'), userId: text('userId') ?? '', from: text('from'), to: text('to') };
}

export function filterFormToQuery(form: EventFilterForm): Record<string, string> {
  const query: Record<string, string> = {};
  if (form.type) query.type = form.type;
  if (form.userId.trim()) query.userId = form.userId.trim();
  if (form.from) query.from = form.from;
  if (form.to) query.to = form.to;
  return query;
}

/** Whole local days, both ends included: "to" runs to the last millisecond of that day. */
export function filterFormToApi(form: EventFilterForm): EventFilters {
  return {
    type: form.type ?? undefined,
    userId: form.userId.trim() || undefined,
    from: form.from ? localDayStart(form.from) : undefined,
    to: form.to ? localDayEnd(form.to) : undefined,
  };
}
