import type { RecordedEvent } from '@app/event-store';
import type { EventMetadata } from './event-metadata';
import {
  IdentityEvent,
  type AccountLockedByAdminData,
  type AccountLockedData,
  type AccountUnlockedByAdminData,
  type AuthenticationFailedData,
  type AuthenticationSucceededData,
  type ChallengeClosedData,
  type ChallengeCompletedData,
  type ChallengeEmailCodeSentData,
  type ChallengeFailedData,
  type ChallengeIssuedData,
  type EmailChangeCodeFailedData,
  type EmailChangedData,
  type EmailChangeRequestedData,
  type EmailClaimedData,
  type EmailCodeFailedData,
  type EmailCodeSentData,
  type EmailMfaDisabledData,
  type EmailMfaEnabledData,
  type LoginFailedData,
  type LoginSucceededData,
  type MfaResetByAdminData,
  type PasskeyAssertionAcceptedData,
  type PasskeyAssertionRejectedData,
  type PasskeyChallengeIssuedData,
  type PasskeyChallengeUsedData,
  type PasskeyRegisteredData,
  type PasskeyRemovedData,
  type PasskeyRenamedData,
  type PersonalDataErasedData,
  type PasswordChangedData,
  type PasswordRehashedData,
  type PasswordResetCompletedData,
  type PasswordResetRequestedData,
  type RecoveryCodesData,
  type RecoveryCodesInvalidatedData,
  type RecoveryCodeUsedData,
  type RegistrationCodeFailedData,
  type RegistrationCodeSentData,
  type RegistrationConfirmedData,
  type RegistrationExpiredData,
  type RegistrationRequestedData,
  type RolesChangedData,
  type SessionRevokedData,
  type SessionStartedData,
  type StepUpCompletedData,
  type StepUpFailedData,
  type StepUpUsedData,
  type TotpCodeData,
  type TotpCodeRejectedData,
  type TotpEnrolledData,
  type TotpEnrollmentStartedData,
  type UserRegisteredData,
  type UserRefData,
} from './identity-events';

/** The payload of each event type: the one table the union, the constructor and the decoder read. */
export type IdentityEventPayloads = {
  EmailClaimed: EmailClaimedData;
  EmailReleased: UserRefData;
  EmailChangeRequested: EmailChangeRequestedData;
  EmailChangeCodeFailed: EmailChangeCodeFailedData;
  EmailChanged: EmailChangedData;
  RegistrationRequested: RegistrationRequestedData;
  RegistrationCodeSent: RegistrationCodeSentData;
  RegistrationCodeFailed: RegistrationCodeFailedData;
  RegistrationConfirmed: RegistrationConfirmedData;
  RegistrationExpired: RegistrationExpiredData;
  UserRegistered: UserRegisteredData;
  PasswordChanged: PasswordChangedData;
  PasswordRehashed: PasswordRehashedData;
  PasswordResetRequested: PasswordResetRequestedData;
  PasswordResetCompleted: PasswordResetCompletedData;
  LoginSucceeded: LoginSucceededData;
  LoginFailed: LoginFailedData;
  AccountLocked: AccountLockedData;
  SessionStarted: SessionStartedData;
  SessionRevoked: SessionRevokedData;
  PersonalDataErased: PersonalDataErasedData;
  StepUpCompleted: StepUpCompletedData;
  StepUpFailed: StepUpFailedData;
  StepUpUsed: StepUpUsedData;
  TotpEnrollmentStarted: TotpEnrollmentStartedData;
  TotpEnrolled: TotpEnrolledData;
  TotpCodeAccepted: TotpCodeData;
  TotpCodeRejected: TotpCodeRejectedData;
  TotpReplayRejected: TotpCodeData;
  TotpDisabled: UserRefData;
  EmailCodeSent: EmailCodeSentData;
  EmailCodeFailed: EmailCodeFailedData;
  EmailMfaEnabled: EmailMfaEnabledData;
  EmailMfaDisabled: EmailMfaDisabledData;
  RecoveryCodesGenerated: RecoveryCodesData;
  RecoveryCodesRegenerated: RecoveryCodesData;
  RecoveryCodesInvalidated: RecoveryCodesInvalidatedData;
  RecoveryCodeUsed: RecoveryCodeUsedData;
  RecoveryCodeRejected: UserRefData;
  RecoveryCodesViewed: UserRefData;
  ChallengeIssued: ChallengeIssuedData;
  ChallengeEmailCodeSent: ChallengeEmailCodeSentData;
  ChallengeFailed: ChallengeFailedData;
  ChallengeCompleted: ChallengeCompletedData;
  ChallengeClosed: ChallengeClosedData;
  RolesChanged: RolesChangedData;
  MfaResetByAdmin: MfaResetByAdminData;
  AccountLockedByAdmin: AccountLockedByAdminData;
  AccountUnlockedByAdmin: AccountUnlockedByAdminData;
  AccountUnlocked: UserRefData;
  AuthenticationFailed: AuthenticationFailedData;
  AuthenticationSucceeded: AuthenticationSucceededData;
  PasskeyChallengeIssued: PasskeyChallengeIssuedData;
  PasskeyChallengeUsed: PasskeyChallengeUsedData;
  PasskeyRegistered: PasskeyRegisteredData;
  PasskeyRenamed: PasskeyRenamedData;
  PasskeyRemoved: PasskeyRemovedData;
  PasskeyAssertionAccepted: PasskeyAssertionAcceptedData;
  PasskeyAssertionRejected: PasskeyAssertionRejectedData;
};

export type IdentityEventType = keyof IdentityEventPayloads;

// The names and the table list the same types (a compile error otherwise).
const everyNameHasAPayload: { readonly [K in IdentityEventType]: K } = IdentityEvent;
const everyPayloadHasAName: { readonly [K in keyof typeof IdentityEvent]: IdentityEventType } = IdentityEvent;
void everyNameHasAPayload;
void everyPayloadHasAName;

/** An identity event as the rules make and fold it: a union discriminated by `type`. */
export type DomainEvent<T extends IdentityEventType = IdentityEventType> = {
  [K in T]: { type: K; data: IdentityEventPayloads[K] };
}[T];

/** An identity event as read back from the store, with its metadata. */
export type RecordedIdentityEvent<T extends IdentityEventType = IdentityEventType> = {
  [K in T]: Omit<RecordedEvent, 'type' | 'data' | 'metadata'> & {
    type: K;
    data: IdentityEventPayloads[K];
    metadata: EventMetadata;
  };
}[T];

/** Makes an event; the payload is checked against its type. */
export function identityEvent<T extends IdentityEventType>(type: T, data: IdentityEventPayloads[T]): DomainEvent<T> {
  // The mapped union cannot be indexed by a generic T, though for every concrete T this is exactly its member.
  return { type, data } as DomainEvent<T>;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(Object.values(IdentityEvent));

/**
 * The decoding boundary: a stored event of a known identity type is read as that type. The store
 * holds only what this service wrote through the typed constructors (schemaVersion 1), so the name
 * stands for the shape; an unknown type (a newer writer) is not an identity event and is skipped.
 */
export function isIdentityEvent(event: RecordedEvent): event is RecordedIdentityEvent {
  return KNOWN_TYPES.has(event.type);
}

/** `isIdentityEvent` for one type. */
export function isEventOf<T extends IdentityEventType>(
  event: RecordedEvent,
  type: T,
): event is RecordedIdentityEvent<T> {
  return event.type === type;
}

export type EmailClaimed = DomainEvent<'EmailClaimed'>;
export type UserRegistered = DomainEvent<'UserRegistered'>;
export type PasswordChanged = DomainEvent<'PasswordChanged'>;
export type PasswordRehashed = DomainEvent<'PasswordRehashed'>;
export type LoginFailed = DomainEvent<'LoginFailed'>;
export type LoginSucceeded = DomainEvent<'LoginSucceeded'>;
export type AccountLocked = DomainEvent<'AccountLocked'>;
export type SessionStarted = DomainEvent<'SessionStarted'>;
export type SessionRevoked = DomainEvent<'SessionRevoked'>;

/** One row of a reactor's table: the handler sees the event typed by its type. */
export function reaction<T extends IdentityEventType>(
  type: T,
  handle: (event: RecordedIdentityEvent<T>) => Promise<void>,
): [T, (event: RecordedEvent) => Promise<void>] {
  return [
    type,
    async (event) => {
      if (isEventOf(event, type)) await handle(event);
    },
  ];
}

/**
 * The account an event belongs to in the audit trail, or null. A sign-up with an address that has
 * an account belongs to the history of that account.
 */
export function subjectOf(event: DomainEvent): string | null {
  if (event.type === IdentityEvent.RegistrationRequested) return event.data.existingUserId;
  return 'userId' in event.data ? event.data.userId : null;
}
