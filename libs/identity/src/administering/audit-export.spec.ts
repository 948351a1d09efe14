import { csvCell, redact } from './audit-export';

describe('audit export', () => {
  it('quotes CSV cells per RFC 4180 and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(null)).toBe('');
    expect(csvCell('Grüße 漢字')).toBe('Grüße 漢字');
  });

  it('redacts protected secrets at any depth, keeping everything else', () => {
    expect(
      redact({ userId: 'u1', passwordHash: '$argon2id$...', nested: [{ tokenHash: 'ab', ok: 1 }], codeHashes: ['a', 'b'] }),
    ).toEqual({ userId: 'u1', passwordHash: '[redacted]', nested: [{ tokenHash: '[redacted]', ok: 1 }], codeHashes: '[redacted]' });
  });
});
