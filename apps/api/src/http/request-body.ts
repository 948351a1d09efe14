import express, { NextFunction, Request, Response } from 'express';
import { problem, writeProblem } from './problem';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

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

/**
 * JSON bodies only, bounded in size; a body parser failure becomes a problem document here,
 * because it happens before Nest's exception filters see the request.
 */
export function jsonBodyParser(limitBytes: number) {
  const parse = express.json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'] });
  return (request: Request, response: Response, next: NextFunction) => {
    const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
    if (BODY_METHODS.has(request.method) && hasBody && !request.is(['application/json', 'application/*+json'])) {
      writeProblem(response, problem(415, 'unsupported_media_type', 'Send the body as application/json.'));
      return;
    }
    parse(request, response, (error?: unknown) => {
      if (!error) {
        if (!nestsDeeperThan(request.body, MAX_BODY_DEPTH)) return next();
        writeProblem(response, problem(400, 'validation_failed', `The body nests objects or arrays deeper than ${MAX_BODY_DEPTH} levels.`));
        return;
      }
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') {
        writeProblem(response, problem(413, 'payload_too_large', `The body is larger than ${limitBytes} bytes.`));
      } else if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
        writeProblem(response, problem(415, 'unsupported_media_type', 'Send the body as UTF-8 JSON.'));
      } else {
        writeProblem(response, problem(400, 'malformed_json', 'The body is not valid JSON.'));
      }
    });
  };
}
