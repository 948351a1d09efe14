import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';

/** The service's configuration, read from the environment once at start-up and validated. */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  eventStoreUrl: string | null;
  mongoUrl: string | null;
  smtpUrl: string | null;
  mailFrom: string;
  totpIssuer: string;
  bootstrapAdmin: { email: string; password: string } | null;
  projectorInProcess: boolean;
  /**
   * The lease that lets one process run the background work (projector, audit chain, reactors):
   * renewed every third of it; a standby takes over at most this long after the holder stops
   * renewing (at once after a clean shutdown).
   */
  projectorLeaseTtlMs: number;
  readYourWritesTimeoutMs: number;
  bodyLimitBytes: number;
  trustProxy: string | false;
  /** Serve the OpenAPI document and the Swagger UI (/openapi.json, /docs); off in production by default. */
  apiDocs: boolean;
  argon2: { memoryKiB: number; timeCost: number; parallelism: number };
  /**
   * Password hashing admission: at most `concurrency` hashes run at once; more wait in a queue of at
   * most `queueLimit`, and only while their expected wait (queue x average hash time / concurrency)
   * stays within `maxWaitMs`; one whose turn comes later than that is refused then. Refusals are
   * 503 `overloaded` with Retry-After.
   */
  hashing: { concurrency: number; queueLimit: number; maxWaitMs: number };
  /** `auditSigningKey`: the Ed25519 seed the audit checkpoints are signed with. */
  keys: { secretBoxKey: Buffer; tokenKey: Buffer; auditSigningKey: Buffer; generated: boolean };
  sessions: { idleTimeoutSeconds: number; maxAgeSeconds: number };
  lockout: { threshold: number; windowSeconds: number; baseLockSeconds: number; maxLockSeconds: number };
  signInRateLimit: { perIpPerMinute: number };
  /** Sign-ups per client address (IPv6: per /64) per hour, counted in the shared store. */
  signUpRateLimit: { perIpPerHour: number };
  passwordResetRateLimit: { perIpPerHour: number };
  /** Where people reach the service: the base of links in emails (a password reset). */
  publicUrl: string;
  /** Passkeys: the relying party (a domain, never an IP address) and the origins a passkey may be used from. */
  webauthn: { rpId: string; rpName: string; origins: string[] };
  /** The audit chain: a signed checkpoint every `checkpointEvery` events or after `sealSeconds`. */
  audit: { checkpointEvery: number; sealSeconds: number };
  /**
   * `GET /metrics`: answered with `Authorization: Bearer <token>` when a token is set, to anyone
   * when `public` (the default outside production), and 404 otherwise.
   */
  metrics: { token: string | null; public: boolean };
  /** `json`: one JSON object per log line (pino), the production default; `pretty`: Nest's console lines. */
  logFormat: 'json' | 'pretty';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const production = nodeEnv === 'production';
  const dataDir = resolve(read.string('DATA_DIR', './data'));
  const bootstrapEmail = read.optional('BOOTSTRAP_ADMIN_EMAIL');
  const bootstrapPassword = read.optional('BOOTSTRAP_ADMIN_PASSWORD');
  if ((bootstrapEmail === null) !== (bootstrapPassword === null)) {
    problems.push('BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together');
  }
  const argon2 = {
    memoryKiB: read.integer('ARGON2_MEMORY_KIB', 19_456, 19_456, 4_194_304),
    timeCost: read.integer('ARGON2_TIME_COST', 2, 2, 20),
    parallelism: read.integer('ARGON2_PARALLELISM', 1, 1, 16),
  };
  const secretBoxKey = read.key('SECRET_BOX_KEY');
  const tokenKey = read.key('TOKEN_KEY');
  const auditSigningKey = read.key('AUDIT_SIGNING_KEY');

  const port = read.integer('PORT', 3000, 0, 65_535);
  const publicUrl = (read.url('PUBLIC_URL', /^https?:\/\/[^\s/]+(\/\S*)?$/) ?? `http://localhost:${port}`).replace(
    /\/+$/,
    '',
  );
  const config = {
    nodeEnv,
    port,
    host: read.string('HOST', production ? '0.0.0.0' : '127.0.0.1'),
    dataDir,
    eventStoreUrl: read.url('EVENTSTORE_URL', /^(kurrentdb|kdb|kurrent|esdb)(\+discover)?:\/\/\S+$/),
    mongoUrl: read.url('MONGO_URL', /^mongodb(\+srv)?:\/\/\S+$/),
    smtpUrl: read.url('SMTP_URL', /^smtps?:\/\/\S+$/),
    mailFrom: read.string('MAIL_FROM', 'Account Security <no-reply@localhost>'),
    totpIssuer: read.string('TOTP_ISSUER', 'Account Security'),
    bootstrapAdmin: bootstrapEmail && bootstrapPassword ? { email: bootstrapEmail, password: bootstrapPassword } : null,
    projectorInProcess: read.boolean('PROJECTOR_IN_PROCESS', true),
    projectorLeaseTtlMs: read.integer('PROJECTOR_LEASE_TTL_MS', 15_000, 1_000, 600_000),
    readYourWritesTimeoutMs: read.integer('READ_YOUR_WRITES_TIMEOUT_MS', 2000, 0, 60_000),
    bodyLimitBytes: read.integer('BODY_LIMIT_BYTES', 16_384, 1024, 1_048_576),
    trustProxy: (read.optional('TRUST_PROXY') ?? false) as string | false,
    apiDocs: read.boolean('API_DOCS', !production),
    argon2,
    hashing: {
      concurrency: read.integer('HASH_CONCURRENCY', 2, 1, 64),
      queueLimit: read.integer('HASH_QUEUE_LIMIT', 256, 0, 100_000),
      maxWaitMs: read.integer('HASH_MAX_WAIT_MS', 1000, 0, 60_000),
    },
    // NIST SP 800-63B AAL2: re-authenticate after 30 minutes idle and 12 hours at most.
    sessions: {
      idleTimeoutSeconds: read.integer('SESSION_IDLE_TIMEOUT_SECONDS', 1800, 60, 2_592_000),
      maxAgeSeconds: read.integer('SESSION_MAX_AGE_SECONDS', 43_200, 60, 31_536_000),
    },
    lockout: {
      threshold: read.integer('LOCKOUT_THRESHOLD', 5, 1, 100),
      windowSeconds: read.integer('LOCKOUT_WINDOW_SECONDS', 900, 1, 86_400),
      baseLockSeconds: read.integer('LOCKOUT_BASE_SECONDS', 60, 1, 86_400),
      maxLockSeconds: read.integer('LOCKOUT_MAX_SECONDS', 3600, 1, 604_800),
    },
    signInRateLimit: { perIpPerMinute: read.integer('SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE', 30, 1, 100_000) },
    signUpRateLimit: { perIpPerHour: read.integer('SIGNUP_RATE_LIMIT_PER_IP_PER_HOUR', 20, 1, 100_000) },
    passwordResetRateLimit: { perIpPerHour: read.integer('PASSWORD_RESET_RATE_LIMIT_PER_IP_PER_HOUR', 20, 1, 100_000) },
    publicUrl,
    // The audit chain: a signed checkpoint every N events, or once the oldest unsigned one is S seconds old.
    audit: {
      checkpointEvery: read.integer('AUDIT_CHECKPOINT_EVERY', 1000, 1, 100_000),
      sealSeconds: read.integer('AUDIT_SEAL_SECONDS', 60, 1, 86_400),
    },
    logFormat: read.oneOf('LOG_FORMAT', ['json', 'pretty'] as const, production ? 'json' : 'pretty'),
    metrics: {
      token: read.optional('METRICS_TOKEN') ?? null,
      public: read.boolean('METRICS_PUBLIC', !production),
    },
    webauthn: {
      rpId: read.string('WEBAUTHN_RP_ID', new URL(publicUrl).hostname),
      rpName: read.string('WEBAUTHN_RP_NAME', read.string('TOTP_ISSUER', 'Account Security')),
      origins: (read.optional('WEBAUTHN_ORIGINS') ?? new URL(publicUrl).origin)
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    },
  };
  if (config.metrics.token !== null && config.metrics.token.length < 32)
    problems.push('METRICS_TOKEN must be at least 32 characters (generate with openssl rand -base64 32)');
  for (const origin of config.webauthn.origins) {
    if (!/^https?:\/\/[^\s/]+$/.test(origin))
      problems.push(`WEBAUTHN_ORIGINS: ${origin} is not an origin (scheme://host[:port])`);
  }
  // Derived from PUBLIC_URL it may be an address (passkeys then cannot be used); set explicitly it must be a name.
  if (env.WEBAUTHN_RP_ID !== undefined && /^[\d.]+$|:/.test(config.webauthn.rpId)) {
    problems.push('WEBAUTHN_RP_ID must be a domain name (passkeys cannot be bound to an IP address)');
  }

  if (production && (!secretBoxKey || !tokenKey || !auditSigningKey)) {
    problems.push(
      'SECRET_BOX_KEY, TOKEN_KEY and AUDIT_SIGNING_KEY are required with NODE_ENV=production (generate each with: openssl rand -base64 32)',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const keys =
    secretBoxKey && tokenKey && auditSigningKey
      ? { secretBoxKey, tokenKey, auditSigningKey, generated: false }
      : { ...loadOrCreateDevelopmentKeys(dataDir), generated: true };
  return { ...config, keys };
}

interface DevelopmentKeys {
  secretBoxKey: Buffer;
  tokenKey: Buffer;
  /** The Ed25519 seed the audit checkpoints are signed with. */
  auditSigningKey: Buffer;
}

/**
 * Outside production, keys are generated once into DATA_DIR/secrets.json (mode 0600). A file from
 * before a key existed gets that key added; the keys it has are kept.
 */
function loadOrCreateDevelopmentKeys(dataDir: string): DevelopmentKeys {
  const file = join(dataDir, 'secrets.json');
  const stored: Partial<Record<keyof DevelopmentKeys, string>> = existsSync(file)
    ? JSON.parse(readFileSync(file, 'utf8'))
    : {};
  const names: (keyof DevelopmentKeys)[] = ['secretBoxKey', 'tokenKey', 'auditSigningKey'];
  const missing = names.filter((name) => !stored[name]);
  for (const name of missing) stored[name] = randomBytes(32).toString('base64');
  if (missing.length === names.length) {
    // A new file is created exclusively: of two processes starting at once, the second reads the first's keys.
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, JSON.stringify(stored), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateDevelopmentKeys(dataDir);
      throw error;
    }
    chmodSync(file, 0o600);
  } else if (missing.length > 0) {
    // A file from before a key existed: replaced whole by a rename, its keys kept.
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(stored), { mode: 0o600, flag: 'wx' });
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  }
  return {
    secretBoxKey: Buffer.from(stored.secretBoxKey!, 'base64'),
    tokenKey: Buffer.from(stored.tokenKey!, 'base64'),
    auditSigningKey: Buffer.from(stored.auditSigningKey!, 'base64'),
  };
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  optional(name: string): string | null {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? null : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.optional(name) ?? fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.optional(name);
    if (value === null) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
    return fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.optional(name);
    if (value === null) return fallback;
    const parsed = /^-?\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
      return fallback;
    }
    return parsed;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.optional(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes'].includes(value)) return true;
    if (['false', '0', 'no'].includes(value)) return false;
    this.problems.push(`${name} must be true or false (got ${JSON.stringify(value)})`);
    return fallback;
  }

  url(name: string, pattern: RegExp): string | null {
    const value = this.optional(name);
    if (value === null) return null;
    if (!pattern.test(value)) {
      // Never echo a URL back: it may hold a password.
      this.problems.push(`${name} is not a valid URL of the expected scheme (${pattern.source})`);
      return null;
    }
    return value;
  }

  key(name: string): Buffer | null {
    const value = this.optional(name);
    if (value === null) return null;
    const key = Buffer.from(value, 'base64');
    if (key.length < 32) {
      this.problems.push(`${name} must be at least 32 bytes, base64-encoded (openssl rand -base64 32)`);
      return null;
    }
    return key.subarray(0, 32);
  }
}

/** Nest injection token of the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
