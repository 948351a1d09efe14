import { EventStore } from '@app/event-store';
import { ReadStore } from '@app/read-models';
import { systemContext } from '@app/platform';
import { adminDecider } from '../administering/admin.decider';
import { credentialsDecider } from '../changing-password/credentials.decider';
import { eventMetadata, IdentityEvent, streams } from '@app/identity-events';
import { emailCodeModel } from '../second-factors/email-code/email-code.model';
import { recoveryCodesModel, type RecoveryCodesState } from '../second-factors/recovery-codes/recovery-codes.model';
import { decideTotpProof, totpModel, type TotpState } from '../second-factors/totp/totp.model';
import { stepUpModel } from '../stepping-up/step-up.model';
import { sqliteExecutor } from '../testing/sqlite-executor';
import type { CommandExecutor } from './command-executor';
import { Decider } from './decider';
import { WRITE_MODEL_SNAPSHOTS } from './write-model-snapshots';

const userId = 'u-snap';
const stream = streams.user(userId);
const secrets = {
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$first',
  newPasswordHash: '$argon2id$v=19$m=19456,t=2,p=1$second',
  sealedSecret: 'sealed-totp-seed-7f3a',
  codeHashes: ['recovery-hash-0', 'recovery-hash-1'],
  sealedCodes: 'sealed-recovery-codes-91c2',
  emailCodeHash: 'email-code-hash-55e1',
  tokenHash: 'step-up-token-hash-0b7d',
};
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** An account with every kind of secret in its user stream, then a long tail of TOTP sign-ins. */
async function writeHistory(events: EventStore, tail: number) {
  const e = (type: string, data: Record<string, unknown>) => ({
    type,
    data: { userId, ...data },
    metadata: { occurredAt: minutesAgo(3) },
  });
  await events.append(
    stream,
    [
      e(IdentityEvent.UserRegistered, {
        email: 'snap@example.com',
        emailNormalized: 'snap@example.com',
        passwordHash: secrets.passwordHash,
        roles: ['user'],
      }),
      e(IdentityEvent.TotpEnrollmentStarted, { sealedSecret: secrets.sealedSecret }),
      e(IdentityEvent.TotpEnrolled, { timeStep: 10 }),
      e(IdentityEvent.RecoveryCodesGenerated, { codeHashes: secrets.codeHashes, sealedCodes: secrets.sealedCodes }),
      e(IdentityEvent.RecoveryCodeUsed, { index: 1, remaining: 1 }),
      e(IdentityEvent.PasswordChanged, { passwordHash: secrets.newPasswordHash, sessionId: 's0' }),
      e(IdentityEvent.EmailCodeSent, {
        purpose: 'reauthenticate',
        codeId: 'c1',
        codeHash: secrets.emailCodeHash,
        expiresAt: minutesAgo(-10),
      }),
      e(IdentityEvent.StepUpCompleted, {
        sessionId: 's1',
        method: 'password',
        tokenHash: secrets.tokenHash,
        expiresAt: minutesAgo(-5),
      }),
      ...Array.from({ length: tail }, (_, i) =>
        e(IdentityEvent.TotpCodeAccepted, { timeStep: 11 + i, purpose: 'sign_in' }),
      ),
    ],
    { expectedRevision: 'no_stream' },
  );
}

const deciders = [
  credentialsDecider,
  totpModel,
  recoveryCodesModel,
  emailCodeModel,
  stepUpModel,
  adminDecider,
] as Decider<unknown, unknown>[];

describe('snapshots of the user stream keep no secret (SQLite)', () => {
  let events: EventStore;
  let readStore: ReadStore;
  let executor: CommandExecutor;

  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ events, readStore, executor, close } = await sqliteExecutor('user-snapshots'));
  });
  afterEach(() => close());

  it('stores the states without hashes or sealed seeds, and loads the same states as a fold from zero', async () => {
    await writeHistory(events, 120);
    const fromZero = await Promise.all(
      deciders.map((decider) => executor.load(stream, { ...decider, snapshot: undefined })),
    );
    for (const decider of deciders) await executor.load(stream, decider); // 128 events read: snapshots written

    const kept = await readStore.find(WRITE_MODEL_SNAPSHOTS);
    expect(kept.map((document) => document.id).sort()).toEqual(
      ['administered-user-v1', 'credentials-v1', 'email-code-v1', 'recovery-codes-v1', 'step-up-v1', 'totp-v1'].map(
        (name) => `${name}:${stream}`,
      ),
    );
    const text = JSON.stringify(kept);
    for (const secret of [
      secrets.passwordHash,
      secrets.newPasswordHash,
      secrets.sealedSecret,
      ...secrets.codeHashes,
      secrets.sealedCodes,
      secrets.emailCodeHash,
      secrets.tokenHash,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain('$argon2');

    const read = jest.spyOn(events, 'readStream');
    const fromSnapshots = await Promise.all(deciders.map((decider) => executor.load(stream, decider)));
    expect(fromSnapshots).toEqual(fromZero);
    expect((fromSnapshots[0] as { passwordHash: string }).passwordHash).toBe(secrets.newPasswordHash);
    expect((fromSnapshots[1] as TotpState).secret).toBe(secrets.sealedSecret);
    expect((fromSnapshots[2] as RecoveryCodesState).used).toEqual(new Set([1]));
    expect((fromSnapshots[2] as RecoveryCodesState).hashes).toEqual(secrets.codeHashes);
    // Bounded: the tail after the snapshot plus one read per secret.
    for (const result of read.mock.results) expect((await result.value).length).toBeLessThanOrEqual(1);
    read.mockRestore();
  });

  it('decides on the secrets read back: the seed checks the code, an old time step is still a replay', async () => {
    await writeHistory(events, 60);
    await executor.load(stream, totpModel);
    const checked: string[] = [];
    const proof = (step: number) => ({
      check: (sealed: string) => (checked.push(sealed), step),
      purpose: 'sign_in' as const,
      whenAccepted: () => [],
      whenRefused: () => [],
    });
    const metadata = eventMetadata(systemContext('test'), new Date());
    const decide = (step: number) =>
      executor.decideWithResult(stream, totpModel, decideTotpProof, proof(step), metadata);
    expect((await decide(70)).events.map((event) => event.type)).toEqual([IdentityEvent.TotpReplayRejected]);
    expect((await decide(71)).events.map((event) => event.type)).toEqual([IdentityEvent.TotpCodeAccepted]);
    expect(checked).toEqual([secrets.sealedSecret, secrets.sealedSecret]);
  });

  it('falls back to the whole stream when a snapshot names an event it cannot read', async () => {
    await writeHistory(events, 60);
    const fromZero = await executor.load(stream, { ...credentialsDecider, snapshot: undefined });
    await readStore.commit({
      checkpoints: {},
      changes: [
        {
          collection: WRITE_MODEL_SNAPSHOTS,
          id: `credentials-v1:${stream}`,
          document: {
            id: `credentials-v1:${stream}`,
            _position: '',
            revision: 5,
            state: { ...fromZero, passwordHash: null, passwordHashFrom: 9999 },
          },
        },
      ],
    });
    expect(await executor.load(stream, credentialsDecider)).toEqual(fromZero);
  });
});
