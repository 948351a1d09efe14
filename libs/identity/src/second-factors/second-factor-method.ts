import type { Position } from '@app/event-store';
import type { AuthenticationMethod, DomainEvent, EventMetadata, ProofFactor } from '@app/identity-events';
import type { RequestContext } from '@app/platform';

/** Where a second factor can be answered. */
export type FactorUse = 'sign_in' | 'step_up' | 'password_reset';

/** What a method looks like on one account right now. */
export interface FactorStatus {
  /** Turned on: counts as a second factor ("two-step verification is on"). */
  on: boolean;
  /** Can be answered with now (recovery codes: while some are left). */
  available: boolean;
  /** When it was (last) set up: a sign-in challenge dies when this changes. */
  setUpAt: string | null;
}

/** A code mailed for one sign-in challenge (it lives on the challenge's stream, not the user's). */
export interface ChallengeCode {
  challengeId: string;
  codeId: string;
  codeHash: string;
  expiresAt: number;
}

export interface ProofRequest {
  userId: string;
  /** What the person sent: a code. */
  code: string;
  /** Or a signed answer (a passkey's assertion, as the browser returns it). */
  assertion?: unknown;
  /** Recorded with the check (the `purpose` of a method's accepted/rejected events). */
  use: FactorUse | 'recovery_codes';
  now: Date;
  /** The second step of a sign-in, when the proof answers one. */
  challengeCode?: ChallengeCode | null;
  /**
   * Events the accepted proof brings along, decided and appended together with it (a step-up
   * grant), so one code can never produce two of them. `codeId` names a mailed code it used up.
   */
  whenAccepted?: (proof: { codeId: string | null }) => DomainEvent[];
  /** Events a refused proof brings along (a failed step-up). */
  whenRefused?: () => DomainEvent[];
  metadata: EventMetadata;
  /** The caller already holds the user stream's lock (see CommandExecutor.withLock). */
  locked?: boolean;
}

export interface ProofResult {
  accepted: boolean;
  /** Where the outcome was recorded (to wait for the read models), when anything was. */
  position: Position | undefined;
}

/**
 * A second factor as the rest of the service sees it: its status on an account and a proof check.
 * Each method keeps its own small write model on the user stream and its own set-up use cases;
 * sign-in, step-up and password reset find methods through the registry only.
 */
export interface SecondFactorMethod {
  /** The `method` of the API (challenge answers, step-up). */
  readonly id: string;
  /** How a session it completed says it was made (RFC 8176). */
  readonly amr: AuthenticationMethod;
  /** Which failure budget entry a wrong answer counts as. */
  readonly factor: ProofFactor;
  readonly uses: readonly FactorUse[];
  status(userId: string): Promise<FactorStatus>;
  /** For a method answered with a signed challenge (a passkey): what the browser needs first. */
  startAnswer?(userId: string, use: FactorUse, context: RequestContext): Promise<object>;
  /** Checks an answer and records the outcome with what the request brings along. */
  prove(request: ProofRequest): Promise<ProofResult>;
}
