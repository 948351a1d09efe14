import { orderBySql, prefixUpperBound, whereSql } from './sqlite-query';

describe('SQLite query translation', () => {
  it('computes the exclusive upper bound of a prefix by code point', () => {
    expect(prefixUpperBound('ab')).toBe('ac');
    expect(prefixUpperBound('a\u{10ffff}')).toBe('b');
    expect(prefixUpperBound('\ud7ff')).toBe('\ue000');
    expect(prefixUpperBound('')).toBeUndefined();
  });

  it('binds booleans as 1/0 and null as IS NULL', () => {
    expect(whereSql({ 'mfa.totp': { eq: true }, tag: { eq: null } })).toEqual({
      sql: "WHERE (json_extract(body, '$.mfa.totp') = ?) AND (json_extract(body, '$.tag') IS NULL)",
      params: [1],
    });
  });

  it('rejects field names that could inject SQL', () => {
    expect(() => whereSql({ "x') OR 1=1 --": { eq: 1 } })).toThrow(/Unsafe field/);
    expect(() => orderBySql([{ field: 'a;drop', direction: 'asc' }])).toThrow(/Unsafe field/);
  });

  it('always ends the order with the id, in the direction of the last key', () => {
    expect(orderBySql(undefined)).toBe('ORDER BY id ASC');
    expect(orderBySql([{ field: 'createdAt', direction: 'desc' }])).toBe(
      "ORDER BY json_extract(body, '$.createdAt') DESC, id DESC",
    );
  });
});
