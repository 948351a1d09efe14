import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { AccountDirectory, emailDigest, normalizeEmail } from '@app/identity';
import { eventMetadata, ROLES, streams, type Role } from '@app/identity-events';
import { RegisterUserCommand } from '@app/identity/registering-user/register-user.command';
import { RegisterUserHandler } from '@app/identity/registering-user/register-user.handler';
import { adminDecider } from '@app/identity/administering/admin.decider';
import { CommandExecutor } from '@app/identity/shared/command-executor';
import { Clock, ConfigError, DomainError, loadConfig, systemContext } from '@app/platform';
import { ReadStore, usersProjection } from '@app/read-models';
import { AppModule } from './app.module';

const USAGE = `Usage: npm run cli -- <command>
  create-user <email> [--role admin|auditor ...]   password from stdin (echo "$PW" | npm run cli -- create-user ...)
  grant-role <email> <admin|auditor>
  revoke-role <email> <admin|auditor>`;

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
  if (!command || !email || !['create-user', 'grant-role', 'revoke-role'].includes(command)) {
    console.error(USAGE);
    process.exit(64);
  }
  // No background work and no bootstrap in a one-shot command; do not wait for read models.
  const config = loadConfig({
    ...process.env,
    PROJECTOR_IN_PROCESS: 'false',
    READ_YOUR_WRITES_TIMEOUT_MS: '0',
    BOOTSTRAP_ADMIN_EMAIL: '',
    BOOTSTRAP_ADMIN_PASSWORD: '',
  });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error'] });
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
    const account = await accounts.findByEmailDigest(emailDigest(normalizeEmail(email)));
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

main(process.argv.slice(2)).catch((error) => {
  if (error instanceof ConfigError) console.error(error.message);
  else if (error instanceof DomainError)
    console.error(
      `${error.code}: ${error.message}${'reasons' in error.details ? ` ${JSON.stringify(error.details.reasons)}` : ''}`,
    );
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
