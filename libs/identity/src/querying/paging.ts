import { ValidationFailedError } from '@app/platform';

/** A page of a list and the cursor of the next one (null on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** `limit` as sent (a string of digits, 1-200), or the list's own size when absent. */
export function pageSize(limit: string | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  const size = /^\d{1,3}$/.test(limit) ? Number(limit) : NaN;
  if (!(size >= 1 && size <= 200))
    throw new ValidationFailedError([{ field: 'limit', message: 'limit must be from 1 to 200' }]);
  return size;
}

/** An opaque cursor over a text key (the users list pages by address). */
export const encodeTextCursor = (value: string) => Buffer.from(value, 'utf8').toString('base64url');

export function decodeTextCursor(cursor: string): string {
  if (!/^[A-Za-z0-9_-]{1,700}$/.test(cursor)) throw invalidCursor();
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

/** A cursor over the audit log: the position of the last entry seen. */
export function positionCursor(cursor: string | undefined): string | undefined {
  if (cursor !== undefined && !/^\d{1,40}$/.test(cursor)) throw invalidCursor();
  return cursor;
}

const invalidCursor = () =>
  new ValidationFailedError([{ field: 'cursor', message: 'cursor must be a nextCursor value' }]);
