import type { LoggerService } from '@nestjs/common';
import pino, { type Logger as Pino } from 'pino';

/**
 * Nest's logger as one JSON object per line (pino), for production: `{"level":"info","time":...,
 * "context":"Bootstrap","msg":"..."}`, plus `requestId` on request lines. Headers that carry
 * credentials are redacted wherever they appear; messages never carry a password, code or token
 * (they are not logged in the first place). Development keeps Nest's coloured console lines.
 */
export class JsonLogger implements LoggerService {
  readonly pino: Pino;

  constructor(destination?: pino.DestinationStream) {
    const options: pino.LoggerOptions = {
      base: { service: 'account-security' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: ['authorization', 'cookie', '*.authorization', '*.cookie', '*["x-reauth-token"]', '*.password'],
        censor: '[redacted]',
      },
    };
    this.pino = destination ? pino(options, destination) : pino(options);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Nest calls `error(message, stack?, context?)`. */
  error(message: unknown, ...rest: unknown[]): void {
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? rest.pop() : undefined;
    const stack = typeof rest[0] === 'string' ? rest[0] : message instanceof Error ? message.stack : undefined;
    this.pino.error(
      { context, ...(stack ? { stack } : {}) },
      message instanceof Error ? message.message : String(message),
    );
  }

  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? rest[rest.length - 1] : undefined;
    if (typeof message === 'object' && message !== null) this.pino[level]({ context, ...message });
    else this.pino[level]({ context }, String(message));
  }
}
