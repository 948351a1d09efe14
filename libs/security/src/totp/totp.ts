import type { SecureRandom } from '@app/platform';
import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app implements it (DESIGN.md: SHA-1, 6 digits, 30 s, +/-1 step). */
export const TOTP_ALGORITHM = 'SHA1';
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** Steps accepted either side of the current one: absorbs clock drift and typing time. */
export const TOTP_WINDOW = 1;
/** 160 bits: RFC 4226's recommended length and above NIST 800-63B's 112-bit floor. */
export const TOTP_SECRET_BYTES = 20;

export type TotpVerification = { valid: false } | { valid: true; timeStep: number };

/** A new seed as RFC 4648 Base32 without padding (32 characters), as authenticator apps expect. */
export function newTotpSecret(random: SecureRandom): string {
  const bytes = random.bytes(TOTP_SECRET_BYTES);
  if (bytes.length !== TOTP_SECRET_BYTES)
    throw new RangeError(`SecureRandom returned ${bytes.length} bytes, not ${TOTP_SECRET_BYTES}`);
  // Copy into an exact-size ArrayBuffer: a small Node Buffer may be a view on a larger shared pool,
  // and otpauth's Secret takes the whole ArrayBuffer it is given.
  return new Secret({ buffer: Uint8Array.from(bytes).buffer }).base32;
}

/**
 * The otpauth:// key URI (Google's Key URI Format) for the QR code:
 * `otpauth://totp/<issuer>:<account>?issuer=...&secret=...&algorithm=SHA1&digits=6&period=30`.
 * otpauth percent-encodes issuer and account with encodeURIComponent (a space is %20, `+` is %2B,
 * `@` is %40), so `+` in an email is not read back as a space. A colon is refused: the format
 * forbids it in either part, and parsers split the label on the first colon, encoded or not.
 */
export function totpUri({ issuer, account, secret }: { issuer: string; account: string; secret: string }): string {
  for (const [name, value] of [
    ['issuer', issuer],
    ['account', account],
  ] as const) {
    if (value.trim().length === 0 || value.includes(':'))
      throw new RangeError(`TOTP ${name} must be non-empty and without a colon`);
  }
  return new TOTP({
    issuer,
    label: account,
    issuerInLabel: true,
    secret: toSecret(secret),
    ...totpParameters(),
  }).toString();
}

/**
 * Checks a code against the steps around `now` (window +/-1). Returns the absolute time step that
 * matched (floor(epoch seconds / 30) + delta), because a TOTP code is valid for up to ~90 s and
 * otpauth, like any stateless check, accepts it every time within that span. Replay protection is
 * therefore the caller's: it records the last accepted step (in the event log) and refuses any code
 * whose step is <= that one, which also refuses an older code still in the window after a newer one
 * was used (ASVS 2.8.4: a code works once).
 *
 * Non-6-digit input is refused before otpauth sees it: otpauth only checks the UTF-16 length, then
 * compares with crypto.timingSafeEqual, which throws on a byte-length mismatch (`12345é`).
 * otpauth's comparison of the code with each generated one is constant-time (timingSafeEqual).
 */
export function verifyTotp(secret: string, code: string, now: Date): TotpVerification {
  const key = toSecret(secret);
  const timestamp = epochMilliseconds(now);
  if (typeof code !== 'string' || !/^[0-9]{6}$/.test(code)) return { valid: false };
  const delta = TOTP.validate({ token: code, secret: key, timestamp, window: TOTP_WINDOW, ...totpParameters() });
  return delta === null ? { valid: false } : { valid: true, timeStep: totpTimeStep(now) + delta };
}

/** The code an authenticator shows at `at` (tests and tooling). */
export function totpCodeAt(secret: string, at: Date): string {
  return TOTP.generate({ secret: toSecret(secret), timestamp: epochMilliseconds(at), ...totpParameters() });
}

/** RFC 6238's T: whole 30-second periods since the Unix epoch. */
export function totpTimeStep(at: Date): number {
  return Math.floor(epochMilliseconds(at) / 1000 / TOTP_PERIOD_SECONDS);
}

function totpParameters(): { algorithm: string; digits: number; period: number } {
  return { algorithm: TOTP_ALGORITHM, digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS };
}

/**
 * Strict Base32: otpauth's decoder accepts lower case and spaces and silently drops trailing bits;
 * our seeds are always generated here, so anything else is a bug or a corrupted record.
 */
function toSecret(base32: string): Secret {
  if (typeof base32 !== 'string' || !/^[A-Z2-7]+$/.test(base32))
    throw new TypeError('TOTP secret must be unpadded upper-case Base32');
  const secret = Secret.fromBase32(base32);
  if (secret.bytes.length < TOTP_SECRET_BYTES)
    throw new RangeError(`TOTP secret must be at least ${TOTP_SECRET_BYTES * 8} bits`);
  return secret;
}

function epochMilliseconds(at: Date): number {
  const time = at.getTime();
  if (!Number.isFinite(time) || time < 0) throw new RangeError('TOTP time must be a valid date after 1970');
  return time;
}
