import { csvCell, redact, redactStream } from './audit-export';

describe('audit export', () => {
  it('quotes every CSV cell per RFC 4180 and defuses formulas wherever a cell could start', () => {
    expect(csvCell('plain')).toBe('"plain"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell(null)).toBe('""');
    expect(csvCell(42)).toBe('"42"');
    expect(csvCell('Grüße 漢字')).toBe('"Grüße 漢字"');
    // Issue 12: a user agent that becomes a formula where `;` separates cells.
    expect(csvCell("Mozilla;=cmd|' /C calc'!A0")).toBe(`"Mozilla;'=cmd|' /C calc'!A0"`);
    expect(csvCell('a\t+1')).toBe(`"a\t'+1"`);
    expect(csvCell('x, -2+3')).toBe(`"x, '-2+3"`);
    expect(csvCell('x|@y')).toBe(`"x|'@y"`);
    expect(csvCell('e-mail a-b')).toBe('"e-mail a-b"'); // a minus inside a word is no cell start
  });

  it('hides the id of a sign-in challenge in stream names', () => {
    expect(redactStream('challenge-0c2f6b1e-1111-4222-8333-444455556666')).toBe('challenge-[redacted]');
    expect(redactStream('user-0c2f6b1e-1111-4222-8333-444455556666')).toBe('user-0c2f6b1e-1111-4222-8333-444455556666');
  });

  it('redacts protected secrets at any depth, keeping everything else', () => {
    expect(
      redact({
        userId: 'u1',
        passwordHash: '$argon2id$...',
        nested: [{ tokenHash: 'ab', ok: 1 }],
        codeHashes: ['a', 'b'],
        challengeId: 'c1',
      }),
    ).toEqual({
      userId: 'u1',
      passwordHash: '[redacted]',
      nested: [{ tokenHash: '[redacted]', ok: 1 }],
      codeHashes: '[redacted]',
      challengeId: '[redacted]',
    });
  });
});
