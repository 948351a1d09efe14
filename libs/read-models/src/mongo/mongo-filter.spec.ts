import {
  escapeRegex,
  fromStoredDocument,
  toMongoFilter,
  toMongoIndex,
  toMongoSort,
  toStoredFields,
} from './mongo-read-store';

describe('MongoDB query translation', () => {
  describe('escapeRegex', () => {
    it('escapes every regular-expression metacharacter', () => {
      const special = '.*+?()[]{}^$|\\';
      const escaped = escapeRegex(special);
      expect(escaped).toBe('\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\^\\$\\|\\\\');
      // The escaped text, as a pattern, matches exactly the original text.
      expect(new RegExp(`^${escaped}$`).test(special)).toBe(true);
    });

    it('leaves plain text, SQL LIKE wildcards and unicode alone', () => {
      expect(escapeRegex('a%b_c@x Grüße 漢字')).toBe('a%b_c@x Grüße 漢字');
    });

    it('writes a NUL as an escape, since the server rejects a raw NUL in a pattern', () => {
      expect(escapeRegex('a\0b')).toBe('a\\x00b');
    });
  });

  describe('toMongoFilter', () => {
    it('translates a prefix to an anchored, escaped, case-sensitive pattern', () => {
      expect(toMongoFilter({ email: { prefix: 'a.*+?(x)[' } })).toEqual({
        email: { $regex: '^a\\.\\*\\+\\?\\(x\\)\\[' },
      });
      const pattern = new RegExp((toMongoFilter({ email: { prefix: 'a.' } }) as any).email.$regex);
      expect(['a.b', 'axb', 'A.b', 'ba.'].filter((s) => pattern.test(s))).toEqual(['a.b']);
    });

    it('translates an empty prefix to a pattern every string matches', () => {
      expect(toMongoFilter({ email: { prefix: '' } })).toEqual({ email: { $regex: '^' } });
    });

    it('keeps eq null as $eq null, which MongoDB also matches against missing fields', () => {
      expect(toMongoFilter({ tag: { eq: null } })).toEqual({ tag: { $eq: null } });
      expect(toMongoFilter({ tag: { ne: null } })).toEqual({ tag: { $ne: null } });
    });

    it('combines several conditions on one field into one operator object', () => {
      expect(toMongoFilter({ n: { gt: 2, lte: 10 } })).toEqual({ n: { $gt: 2, $lte: 10 } });
      expect(toMongoFilter({ n: { gte: 'a', lt: 'b', ne: 'ab' } })).toEqual({ n: { $gte: 'a', $lt: 'b', $ne: 'ab' } });
    });

    it('ANDs several fields, keeps dotted paths, and maps id to _id', () => {
      expect(
        toMongoFilter({ 'mfa.totp': { eq: true }, n: { gt: 2 }, id: { in: ['u1', 'u2'] }, role: { in: [] } }),
      ).toEqual({ 'mfa.totp': { $eq: true }, n: { $gt: 2 }, _id: { $in: ['u1', 'u2'] }, role: { $in: [] } });
    });

    it('is empty without conditions and drops a field with none', () => {
      expect(toMongoFilter()).toEqual({});
      expect(toMongoFilter({ email: {} })).toEqual({});
    });

    it('rejects unsafe field names', () => {
      expect(() => toMongoFilter({ $where: { eq: 1 } })).toThrow(/Unsafe field/);
      expect(() => toMongoFilter({ 'a..b': { eq: 1 } })).toThrow(/Unsafe field/);
    });
  });

  describe('toMongoSort', () => {
    it('sorts by _id alone by default', () => {
      expect(toMongoSort()).toEqual({ _id: 1 });
    });

    it('appends _id as the last tie-breaker, in key order and in the direction of the last key', () => {
      const sort = toMongoSort([
        { field: 'createdAt', direction: 'desc' },
        { field: 'profile.name', direction: 'asc' },
      ]);
      expect(Object.entries(sort)).toEqual([
        ['createdAt', -1],
        ['profile.name', 1],
        ['_id', 1],
      ]);
      expect(Object.entries(toMongoSort([{ field: 'createdAt', direction: 'desc' }]))).toEqual([
        ['createdAt', -1],
        ['_id', -1],
      ]);
    });

    it('does not override an explicit id direction or a repeated field', () => {
      expect(Object.entries(toMongoSort([{ field: 'id', direction: 'desc' }]))).toEqual([['_id', -1]]);
      expect(
        Object.entries(
          toMongoSort([
            { field: 'n', direction: 'desc' },
            { field: 'n', direction: 'asc' },
          ]),
        ),
      ).toEqual([
        ['n', -1],
        ['_id', 1],
      ]);
    });
  });

  describe('toMongoIndex', () => {
    it('makes a plain index on the fields in order', () => {
      expect(toMongoIndex({ fields: ['createdAt', 'mfa.totp'] })).toEqual({
        keys: { createdAt: 1, 'mfa.totp': 1 },
        options: {},
      });
    });

    it('makes a unique index that ignores documents missing a field', () => {
      expect(toMongoIndex({ fields: ['email'], unique: true })).toEqual({
        keys: { email: 1 },
        options: { unique: true, partialFilterExpression: { email: { $exists: true } } },
      });
    });
  });

  describe('stored documents', () => {
    it('stores fields without id and reads them back with id from _id', () => {
      const document = { id: 'u1', _position: '00000000000000000007', email: 'a@x', mfa: { totp: true } };
      const fields = toStoredFields(document);
      expect(fields).toEqual({ _position: '00000000000000000007', email: 'a@x', mfa: { totp: true } });
      expect(fromStoredDocument({ _id: 'u1', ...fields })).toEqual(document);
    });

    it('refuses a document carrying its own _id', () => {
      expect(() => toStoredFields({ id: 'u1', _position: '', _id: 'x' })).toThrow(/_id/);
    });
  });
});
