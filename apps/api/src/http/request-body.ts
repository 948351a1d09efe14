import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { DomainError } from '@app/platform';
import { Problem, problem } from './problem';

/** No request of ours nests more than a few levels; deeper bodies only feed recursive validators. */
export const MAX_BODY_DEPTH = 32;

/** Whether a parsed JSON value nests deeper than `limit` (walked with a stack, not recursion). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}

/** `application/json` and the `+json` types (e.g. `application/merge-patch+json`), any parameters. */
const JSON_TYPES = /^application\/(?:[a-z0-9!#$&^_.-]+\+)?json(?:;|$)/;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;
/** JSON text that is an object or an array (strict, like body-parser's `strict: true`). */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern finds
const OPENS_OBJECT_OR_ARRAY = /^[\x20\x09\x0a\x0d]*[{[]/;

const malformed = () => new DomainError('malformed_json', 'The body is not valid JSON.');
const notJson = () => new DomainError('unsupported_media_type', 'Send the body as application/json.');
const notUtf8 = () => new DomainError('unsupported_media_type', 'Send the body as UTF-8 JSON.');

/** Whether the request says it carries a body (a length above zero, or chunked). */
function hasBody(headers: IncomingHttpHeaders): boolean {
  return Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined;
}

/** A refusal when the body is compressed or in a charset other than UTF-8 (read as UTF-8 text). */
function encodingRefusal(headers: IncomingHttpHeaders): DomainError | null {
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') return notUtf8();
  const charset = CHARSET.exec(headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return notUtf8();
  return null;
}

/**
 * JSON bodies only, bounded in size: replaces Fastify's parsers (which also take text/plain). A body
 * of another type, compressed or in another charset is refused with 415 before it is read; one over
 * the limit with 413 as soon as it is known (its declared length, or the bytes received); an empty
 * JSON body is `{}` (as body-parser made it); JSON that is not an object or array, or that nests
 * deeper than MAX_BODY_DEPTH, is refused. Every refusal is a DomainError with our stable code, which
 * the problem filter answers. The body is read here rather than by Fastify (`parseAs`), whose own
 * errors reach Nest's filters without their codes.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, limitBytes: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_TYPES, (request: FastifyRequest, payload: IncomingMessage, done: BodyDone) => {
    const refusal = encodingRefusal(request.headers);
    if (refusal) return done(refusal, undefined);
    readBody(request, payload, limitBytes, (error, text) => {
      if (error) return done(error, undefined);
      done(...parseJson(text!));
    });
  });
  // Any other type (or none): no body is fine, a body is refused before it is read.
  fastify.addContentTypeParser('*', (request: FastifyRequest, _payload: IncomingMessage, done: BodyDone) => {
    if (hasBody(request.headers)) return done(notJson(), undefined);
    done(null, undefined);
  });
}

type BodyDone = (error: Error | null, body?: unknown) => void;

function parseJson(text: string): [Error | null, unknown] {
  if (text.length === 0) return [null, {}];
  if (!OPENS_OBJECT_OR_ARRAY.test(text)) return [malformed(), undefined];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [malformed(), undefined];
  }
  if (nestsDeeperThan(parsed, MAX_BODY_DEPTH)) {
    return [
      new DomainError('validation_failed', `The body nests objects or arrays deeper than ${MAX_BODY_DEPTH} levels.`),
      undefined,
    ];
  }
  return [null, parsed];
}

/** Reads the body as UTF-8 text, at most `limitBytes`; a body shorter or longer than declared is malformed. */
function readBody(
  request: FastifyRequest,
  payload: IncomingMessage,
  limitBytes: number,
  done: (error: Error | null, text?: string) => void,
): void {
  const tooLarge = () => new DomainError('payload_too_large', `The body is larger than ${limitBytes} bytes.`);
  const declared = Number(request.headers['content-length']);
  if (declared > limitBytes) return done(tooLarge());
  const chunks: Buffer[] = [];
  let received = 0;
  const finish = (error: Error | null, text?: string) => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onError);
    done(error, text);
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > limitBytes) return finish(tooLarge());
    chunks.push(chunk);
  };
  const onEnd = () => {
    if (!Number.isNaN(declared) && received !== declared) return finish(malformed());
    finish(null, Buffer.concat(chunks, received).toString('utf8'));
  };
  const onError = () => finish(malformed()); // the client went away mid-body
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onError);
  payload.resume();
}

/**
 * The problem for an error Fastify raised before a route or Nest saw the request (`frameworkErrors`:
 * a malformed URL), or null when `error` is not one. The stable codes are those of the parser above.
 */
export function bodyErrorProblem(error: unknown, limitBytes: number): Problem | null {
  const { code, statusCode } = (error ?? {}) as { code?: unknown; statusCode?: unknown };
  if (typeof code !== 'string' || !code.startsWith('FST_') || typeof statusCode !== 'number' || statusCode >= 500)
    return null;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return problem(413, 'payload_too_large', `The body is larger than ${limitBytes} bytes.`);
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || code === 'FST_ERR_CTP_INVALID_TYPE') {
    return problem(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
  if (code.startsWith('FST_ERR_CTP_')) return problem(400, 'malformed_json', 'The body is not valid JSON.');
  return problem(400, 'bad_request', 'The request is not valid HTTP for this service.');
}
