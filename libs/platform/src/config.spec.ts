import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'config-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('applies the embedded defaults and generates development keys into DATA_DIR with mode 0600', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      host: '127.0.0.1',
      eventStoreUrl: null,
      mongoUrl: null,
      projectorInProcess: true,
      argon2: { memoryKiB: 19456, timeCost: 2, parallelism: 1 },
    });
    expect(config.keys.generated).toBe(true);
    expect(statSync(join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(loadConfig({ DATA_DIR: dataDir }).keys.tokenKey.equals(config.keys.tokenKey)).toBe(true);
  });

  it('adds the audit signing key to a development secrets file from before it existed, keeping the other keys', () => {
    const older = {
      secretBoxKey: Buffer.alloc(32, 1).toString('base64'),
      tokenKey: Buffer.alloc(32, 2).toString('base64'),
    };
    writeFileSync(join(dataDir, 'secrets.json'), JSON.stringify(older), { mode: 0o600 });
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.keys.tokenKey.equals(Buffer.alloc(32, 2))).toBe(true);
    expect(config.keys.auditSigningKey.length).toBe(32);
    expect(loadConfig({ DATA_DIR: dataDir }).keys.auditSigningKey.equals(config.keys.auditSigningKey)).toBe(true);
    expect(statSync(join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('names every bad variable in one error', () => {
    const attempt = () =>
      loadConfig({ DATA_DIR: dataDir, PORT: 'eighty', EVENTSTORE_URL: 'http://user:pw@x', ARGON2_MEMORY_KIB: '1024' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as ConfigError).message;
      expect(message).toContain('PORT must be an integer');
      expect(message).toContain('EVENTSTORE_URL');
      expect(message).not.toContain('pw@x');
      expect(message).toContain('ARGON2_MEMORY_KIB');
    }
  });

  it('bounds password hashing by concurrency, queue length and expected wait', () => {
    expect(loadConfig({ DATA_DIR: dataDir }).hashing).toEqual({ concurrency: 2, queueLimit: 256, maxWaitMs: 1000 });
    expect(loadConfig({ DATA_DIR: dataDir, HASH_MAX_WAIT_MS: '250', HASH_QUEUE_LIMIT: '48' }).hashing).toEqual({
      concurrency: 2,
      queueLimit: 48,
      maxWaitMs: 250,
    });
    expect(() => loadConfig({ DATA_DIR: dataDir, HASH_MAX_WAIT_MS: '-1' })).toThrow(
      /HASH_MAX_WAIT_MS must be an integer from 0 to 60000/,
    );
    expect(() => loadConfig({ DATA_DIR: dataDir, HASH_MAX_WAIT_MS: '1.5s' })).toThrow(/HASH_MAX_WAIT_MS/);
  });

  it('refuses to start in production without configured keys', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production' })).toThrow(
      /SECRET_BOX_KEY, TOKEN_KEY and AUDIT_SIGNING_KEY/,
    );
    const key = Buffer.alloc(32, 7).toString('base64');
    // The audit signing key is required too: without it the service would sign with a key nobody configured.
    expect(() =>
      loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production', SECRET_BOX_KEY: key, TOKEN_KEY: key }),
    ).toThrow(/AUDIT_SIGNING_KEY/);
    const config = loadConfig({
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      SECRET_BOX_KEY: key,
      TOKEN_KEY: key,
      AUDIT_SIGNING_KEY: key,
    });
    expect(config.keys.generated).toBe(false);
    expect(config.keys.auditSigningKey.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(config.host).toBe('0.0.0.0');
  });

  it('accepts the production adapters by URL', () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      EVENTSTORE_URL: 'kurrentdb://kurrentdb:2113?tls=false',
      MONGO_URL: 'mongodb://mongo:27017/accounts?replicaSet=rs0',
      SMTP_URL: 'smtp://mailpit:1025',
      PROJECTOR_IN_PROCESS: 'false',
    });
    expect(config.eventStoreUrl).toBe('kurrentdb://kurrentdb:2113?tls=false');
    expect(config.projectorInProcess).toBe(false);
  });

  it('reads the background-work lease TTL (issue 16): 15 s by default, at least 1 s', () => {
    expect(loadConfig({ DATA_DIR: dataDir }).projectorLeaseTtlMs).toBe(15_000);
    expect(loadConfig({ DATA_DIR: dataDir, PROJECTOR_LEASE_TTL_MS: '1000' }).projectorLeaseTtlMs).toBe(1000);
    expect(() => loadConfig({ DATA_DIR: dataDir, PROJECTOR_LEASE_TTL_MS: '999' })).toThrow(
      /PROJECTOR_LEASE_TTL_MS must be an integer from 1000 to 600000/,
    );
  });

  it('keeps /metrics private in production unless a token or METRICS_PUBLIC says otherwise', () => {
    expect(loadConfig({ DATA_DIR: dataDir }).metrics).toEqual({ token: null, public: true });
    expect(loadConfig({ DATA_DIR: dataDir, METRICS_TOKEN: '' }).metrics.token).toBeNull(); // compose's empty default
    expect(() => loadConfig({ DATA_DIR: dataDir, METRICS_TOKEN: 'too short' })).toThrow(/METRICS_TOKEN/);
    expect(loadConfig({ DATA_DIR: dataDir, METRICS_PUBLIC: 'false' }).metrics.public).toBe(false);
  });
});
