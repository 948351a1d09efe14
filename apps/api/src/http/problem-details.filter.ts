import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@app/platform';
import { problem, writeProblem } from './problem';

/** Domain error codes -> HTTP statuses: the one place where the mapping lives. */
export const STATUS_BY_CODE: Record<string, number> = {
  validation_failed: 400,
  malformed_json: 400,
  password_policy: 400,
  current_password_invalid: 400,
  registration_expired: 400,
  token_invalid: 400,
  /** A revoked session's own token (with `reason`); other 401s come from UnauthorizedException. */
  unauthorized: 401,
  invalid_credentials: 401,
  code_invalid: 401,
  passkey_invalid: 401,
  forbidden: 403,
  reauth_required: 403,
  mfa_code_required: 403,
  mfa_required: 403,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  account_erased: 410,
  current_session: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  account_locked: 429,
  overloaded: 503,
};

const CODE_BY_STATUS: Record<number, string> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/**
 * Our own wording for statuses whose exceptions may come from a framework: Nest hands Fastify's own
 * errors (e.g. a Content-Type header it cannot parse) to this filter as HttpExceptions carrying
 * Fastify's message.
 */
const DETAIL_BY_STATUS: Record<number, (bodyLimitBytes: number) => string> = {
  401: () => 'Sign in first: send a valid session token.',
  404: () => 'No such resource.',
  413: (limit) => `The body is larger than ${limit} bytes.`,
  415: () => 'Send the body as application/json.',
};

/** Every error leaves as application/problem+json; unexpected ones are logged and never detailed. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly options: { bodyLimitBytes: number }) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<FastifyReply>();
    if (response.sent || response.raw.headersSent) return;

    if (exception instanceof DomainError) {
      const status = STATUS_BY_CODE[exception.code] ?? 400;
      const retryAfter = (exception as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      const headers: Record<string, string> =
        typeof retryAfter === 'number' ? { 'Retry-After': String(retryAfter) } : {};
      writeProblem(response, problem(status, exception.code, exception.message, exception.details), headers);
      return;
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const code = CODE_BY_STATUS[status] ?? 'bad_request';
      const detail = DETAIL_BY_STATUS[status]?.(this.options.bodyLimitBytes) ?? exception.message;
      // RFC 6750: a 401 tells the client which scheme to use.
      writeProblem(response, problem(status, code, detail), status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {});
      return;
    }
    const requestId = response.getHeader('X-Request-Id');
    this.logger.error(
      `Unhandled error (request ${String(requestId)}): ${exception instanceof Error ? exception.stack : String(exception)}`,
    );
    writeProblem(response, problem(500, 'internal_error', 'Something went wrong on our side. Quote the request id.'));
  }
}
