import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  auditPublicKey,
  AuditSigningKey,
  checkIntegrity,
  verifyExport,
  type AuditPublicKey,
  type IntegrityReport,
} from '@app/audit-trail';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { EventStore } from '@app/event-store';
import { randomUUID } from 'node:crypto';
import { AccountDirectory } from '@app/identity';
import { eventMetadata, ROLES, streams, type Role } from '@app/identity-events';
import { RegisterUserCommand } from '@app/identity/registering-user/register-user.command';
import { RegisterUserHandler } from '@app/identity/registering-user/register-user.handler';
import { adminDecider } from '@app/identity/administering/admin.decider';
import { CommandExecutor } from '@app/identity/shared/command-executor';
import { Clock, ConfigError, DomainError, loadConfig, systemContext } from '@app/platform';
import { ReadStore, usersProjection } from '@app/read-models';
import { STORED_EVENTS } from '@app/read-models/storage/storage.module';
import { AppModule } from './app.module';

const USAGE = `Usage: npm run cli -- <command>
  create-user <email> [--role admin|auditor ...]   password from stdin (echo "$PW" | npm run cli -- create-user ...)
  grant-role <email> <admin|auditor>
  revoke-role <email> <admin|auditor>
  verify-log [--public-key <base64url>] [--json]    checks the log against the signed audit chain; exit 1 when broken
  verify-export <file.jsonl> --public-key <base64url> [--json]
                                                    checks an export offline (no configuration, no store); exit 1 when broken`;

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new Error('Pipe the password on standard input; it is never taken from the command line.');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Shell administration on the configured stores; the running service's projector picks the events up. */
async function main(argv: string[]): Promise<void> {
  const [command, email, ...rest] = argv;
  if (command === 'verify-log') return verifyLogCommand(argv.slice(1));
  if (command === 'verify-export') return verifyExportCommand(argv.slice(1));
  if (!command || !email || !['create-user', 'grant-role', 'revoke-role'].includes(command)) {
    console.error(USAGE);
    process.exit(64);
  }
  const app = await oneShotApp();
  try {
    const context = systemContext(`cli-${randomUUID()}`);
    const accounts = app.get(AccountDirectory);
    if (command === 'create-user') {
      const roles = rest.filter((_, i) => rest[i - 1] === '--role') as Role[];
      if (roles.some((role) => !ROLES.includes(role)))
        throw new DomainError('validation_failed', `Roles are ${ROLES.join(', ')}.`);
      const { userId } = await app
        .get(RegisterUserHandler)
        .execute(new RegisterUserCommand(email, await readStdin(), context, roles));
      console.log(`Created user ${email} (${userId})${roles.length ? ` with roles ${roles.join(', ')}` : ''}`);
      return;
    }
    const role = rest[0] as Role;
    if (!ROLES.includes(role)) throw new DomainError('validation_failed', `Roles are ${ROLES.join(', ')}.`);
    const account = await accounts.findByEmail(email);
    if (!account?.userId) throw new DomainError('not_found', `No account with the address ${email}.`);
    if (command === 'revoke-role' && role === 'admin' && account.roles.includes('admin')) {
      // Without an admin, the next start with BOOTSTRAP_ADMIN_* would hand the role out again.
      const admins = await app.get(ReadStore).count(usersProjection.collection, { isAdmin: { eq: true } });
      if (admins <= 1)
        throw new DomainError(
          'conflict',
          `${email} is the last administrator; grant the role to another account first.`,
        );
    }
    const roles = (
      command === 'grant-role' ? [...new Set([...account.roles, role])] : account.roles.filter((r) => r !== role)
    ) as Role[];
    await app
      .get(CommandExecutor)
      .execute(
        streams.user(account.userId),
        adminDecider,
        { kind: 'set_roles', roles, by: 'operator' },
        eventMetadata(context, app.get(Clock).now()),
      );
    console.log(`${email} now has roles: ${roles.join(', ') || 'none'}`);
  } finally {
    await app.close();
  }
}

/** The configured stores, without background work or a bootstrap (a one-shot command; it does not wait for read models). */
async function oneShotApp(): Promise<INestApplicationContext> {
  const config = loadConfig({
    ...process.env,
    PROJECTOR_IN_PROCESS: 'false',
    READ_YOUR_WRITES_TIMEOUT_MS: '0',
    BOOTSTRAP_ADMIN_EMAIL: '',
    BOOTSTRAP_ADMIN_PASSWORD: '',
  });
  return NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error'] });
}

/**
 * Checks the configured log against its signed checkpoints. With `--public-key` it trusts only that
 * key (an auditor's copy), not the one the service is configured with. Exit 0 intact, 1 broken.
 */
async function verifyLogCommand(args: string[]): Promise<void> {
  const keyAt = args.indexOf('--public-key');
  const unknown = args.filter(
    (arg, i) => !['--public-key', '--json'].includes(arg) && !(keyAt >= 0 && i === keyAt + 1),
  );
  if ((keyAt >= 0 && !args[keyAt + 1]) || unknown.length > 0) {
    console.error(USAGE);
    process.exit(64);
  }
  const givenKey = keyAt >= 0 ? publicKeyArgument(args[keyAt + 1]) : null;
  const app = await oneShotApp();
  let report: IntegrityReport;
  try {
    const publicKey = givenKey ?? app.get(AuditSigningKey).publicKey;
    report = await checkIntegrity(app.get<EventStore>(STORED_EVENTS), app.get(ReadStore), publicKey);
  } finally {
    await app.close();
  }
  if (args.includes('--json')) console.log(JSON.stringify(report, null, 2));
  else console.log(describeReport(report));
  process.exit(report.status === 'intact' ? 0 : 1);
}

/** Checks a JSON Lines export with a public key only: nothing is configured or opened but the file. */
async function verifyExportCommand(args: string[]): Promise<void> {
  const [file] = args;
  const keyAt = args.indexOf('--public-key');
  if (!file || file.startsWith('--') || keyAt < 0 || !args[keyAt + 1]) {
    console.error(USAGE);
    process.exit(64);
  }
  const publicKey = publicKeyArgument(args[keyAt + 1]);
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  const report = await verifyExport(lines, publicKey);
  if (args.includes('--json')) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`Audit export ${report.status.toUpperCase()}: ${report.events} events, key ${report.keyId}`);
    console.log(
      `  verified against signed checkpoints: ${report.verified}; not signed when exported: ${report.unsigned}`,
    );
    if (report.firstProblem)
      console.log(
        `  FIRST PROBLEM: line ${report.firstProblem.line}${report.firstProblem.seq === null ? '' : ` (event ${report.firstProblem.seq})`}: ${report.firstProblem.reason}`,
      );
  }
  process.exit(report.status === 'verified' ? 0 : 1);
}

/** A public key from the command line; a malformed one is a usage error (64), not a broken log (1). */
function publicKeyArgument(text: string): AuditPublicKey {
  try {
    return auditPublicKey(text);
  } catch {
    console.error("--public-key takes the 32-byte Ed25519 public key, base64url (the integrity report's publicKey).");
    process.exit(64);
  }
}

function describeReport(report: IntegrityReport): string {
  const lines = [
    `Audit log ${report.status.toUpperCase()}: ${report.events} events, key ${report.keyId}`,
    report.verified
      ? `  verified: ${report.verified.events} events, positions ${report.verified.fromPosition} to ${report.verified.toPosition}`
      : '  verified: none',
    report.lastCheckpoint
      ? `  last signed checkpoint: event ${report.lastCheckpoint.toSeq} (position ${report.lastCheckpoint.position}), signed ${report.lastCheckpoint.signedAt}`
      : '  last signed checkpoint: none yet',
    `  not signed yet: ${report.pending} events`,
  ];
  if (report.firstBroken)
    lines.push(
      `  FIRST BROKEN: event ${report.firstBroken.seq} (position ${report.firstBroken.position ?? 'missing'}): ${report.firstBroken.reason}`,
    );
  return lines.join('\n');
}

main(process.argv.slice(2)).catch((error) => {
  if (error instanceof ConfigError) console.error(error.message);
  else if (error instanceof DomainError)
    console.error(
      `${error.code}: ${error.message}${'reasons' in error.details ? ` ${JSON.stringify(error.details.reasons)}` : ''}`,
    );
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
