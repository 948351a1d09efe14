/** Translation of the read store's FindQuery into SQL over JSON documents (pure, unit-tested). */
import { FieldCondition, FieldValue, FindQuery, assertSafeName } from '../read-store.port';

export type SqlValue = string | number | null;

export interface SqlFragment {
  sql: string;
  params: SqlValue[];
}

/** The SQL expression reading a (dotted) field of the JSON body; `id` is a real column. */
export function fieldExpression(field: string): string {
  assertSafeName('field', field);
  return field === 'id' ? 'id' : `json_extract(body, '$.${field}')`;
}

/** SQLite has no booleans: json_extract yields 1/0 for true/false, so bind those. */
export function toSqlValue(value: FieldValue): SqlValue {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

/** The smallest string greater than every string starting with `prefix` (BINARY collation orders
 * by UTF-8 bytes, which is code point order), or undefined when there is none. */
export function prefixUpperBound(prefix: string): string | undefined {
  const codePoints = [...prefix];
  while (codePoints.length > 0) {
    const last = codePoints.pop()!.codePointAt(0)!;
    let next = last + 1;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000; // skip surrogates
    if (next <= 0x10ffff) return codePoints.join('') + String.fromCodePoint(next);
  }
  return undefined;
}

function conditionSql(expression: string, condition: FieldCondition): SqlFragment {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  if (condition.eq !== undefined) {
    if (condition.eq === null) parts.push(`${expression} IS NULL`);
    else {
      parts.push(`${expression} = ?`);
      params.push(toSqlValue(condition.eq));
    }
  }
  if (condition.ne !== undefined) {
    parts.push(`${expression} IS NOT ?`);
    params.push(toSqlValue(condition.ne));
  }
  if (condition.in !== undefined) {
    if (condition.in.length === 0) parts.push('0');
    else {
      parts.push(`${expression} IN (${condition.in.map(() => '?').join(', ')})`);
      params.push(...condition.in.map(toSqlValue));
    }
  }
  for (const [key, operator] of [
    ['gt', '>'],
    ['gte', '>='],
    ['lt', '<'],
    ['lte', '<='],
  ] as const) {
    const value = condition[key];
    if (value !== undefined) {
      parts.push(`${expression} ${operator} ?`);
      params.push(value);
    }
  }
  if (condition.prefix !== undefined) {
    // A range keeps the index usable; the text type check excludes numbers, which sort before text.
    parts.push(`typeof(${expression}) = 'text' AND ${expression} >= ?`);
    params.push(condition.prefix);
    const upper = prefixUpperBound(condition.prefix);
    if (upper !== undefined) {
      parts.push(`${expression} < ?`);
      params.push(upper);
    }
  }
  return { sql: parts.join(' AND '), params };
}

export function whereSql(where: FindQuery['where']): SqlFragment {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  for (const [field, condition] of Object.entries(where ?? {})) {
    const fragment = conditionSql(fieldExpression(field), condition);
    if (fragment.sql) {
      parts.push(`(${fragment.sql})`);
      params.push(...fragment.params);
    }
  }
  return { sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export function orderBySql(orderBy: FindQuery['orderBy']): string {
  const keys = (orderBy ?? []).map(
    (key) => `${fieldExpression(key.field)} ${key.direction === 'desc' ? 'DESC' : 'ASC'}`,
  );
  const idDirection = orderBy?.length ? (orderBy[orderBy.length - 1].direction === 'desc' ? 'DESC' : 'ASC') : 'ASC';
  if (!(orderBy ?? []).some((key) => key.field === 'id')) keys.push(`id ${idDirection}`);
  return `ORDER BY ${keys.join(', ')}`;
}
