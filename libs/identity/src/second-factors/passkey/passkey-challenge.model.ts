import { IdentityEvent, identityEvent, type PasskeyChallengePurpose } from '@app/identity-events';
import type { Decider } from '../../shared/decider';

export const PASSKEY_CHALLENGE_TTL_MS = 5 * 60_000;

export type PasskeyChallengeCommand =
  | { kind: 'issue'; challengeHash: string; purpose: PasskeyChallengePurpose; userId: string | null; expiresAt: Date }
  /** `userId`: the account the answer claims (null: any, for a passwordless sign-in not yet tied to one). */
  | { kind: 'use'; purpose: PasskeyChallengePurpose; userId: string | null; now: Date };

export interface PasskeyChallengeState {
  issued: { purpose: PasskeyChallengePurpose; userId: string | null; expiresAt: number } | null;
  used: boolean;
  challengeHash: string | null;
}

/**
 * One WebAuthn challenge (stream `passkey-challenge-{sha256}`): issued once, used once, within 5
 * minutes, for the purpose and the account it was issued for. A use that fails records nothing
 * and the caller refuses the answer; a use that succeeds is appended with the expected revision,
 * so of two parallel answers with the same challenge one wins.
 */
export const passkeyChallengeModel: Decider<PasskeyChallengeCommand, PasskeyChallengeState> = {
  initialState: () => ({ issued: null, used: false, challengeHash: null }),
  evolve: (state, event) => {
    switch (event.type) {
      case IdentityEvent.PasskeyChallengeIssued:
        return {
          issued: {
            purpose: event.data.purpose,
            userId: event.data.userId,
            expiresAt: Date.parse(event.data.expiresAt),
          },
          used: false,
          challengeHash: event.data.challengeHash,
        };
      case IdentityEvent.PasskeyChallengeUsed:
        return { ...state, used: true };
      default:
        return state;
    }
  },
  decide: (command, state) => {
    if (command.kind === 'issue') {
      if (state.issued) return []; // 256 random bits do not repeat; a retry changes nothing
      return [
        identityEvent(IdentityEvent.PasskeyChallengeIssued, {
          challengeHash: command.challengeHash,
          purpose: command.purpose,
          userId: command.userId,
          expiresAt: command.expiresAt.toISOString(),
        }),
      ];
    }
    const issued = state.issued;
    const fits =
      issued !== null && !state.used && issued.expiresAt > command.now.getTime() && issued.purpose === command.purpose;
    const forThisAccount = issued !== null && (issued.userId === null || issued.userId === command.userId);
    if (!fits || !forThisAccount || state.challengeHash === null) return [];
    return [
      identityEvent(IdentityEvent.PasskeyChallengeUsed, { challengeHash: state.challengeHash, userId: command.userId }),
    ];
  },
};
