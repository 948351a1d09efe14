import { describe, expect, it } from 'vitest';
import type { IntegrityReport } from '../api/integrity';
import { integrityOf } from './integrity';
import { INTACT_REPORT as intact } from '../testing/integrity-report';

describe('integrityOf', () => {
  it('is signed up to the end of the verified range, and not signed yet after it', () => {
    expect(integrityOf('00000000000000000001', intact)).toBe('signed');
    expect(integrityOf('00000000000000000010', intact)).toBe('signed');
    expect(integrityOf('00000000000000000011', intact)).toBe('pending');
  });

  it('is broken at and after the first place the log stops matching', () => {
    const broken: IntegrityReport = {
      ...intact,
      status: 'broken',
      verified: { ...intact.verified!, toPosition: '00000000000000000006', events: 6 },
      firstBroken: { seq: 7, position: '00000000000000000007', reason: 'changed' },
    };
    expect(integrityOf('00000000000000000006', broken)).toBe('signed');
    expect(integrityOf('00000000000000000007', broken)).toBe('broken');
    expect(integrityOf('00000000000000000012', broken)).toBe('broken');
  });

  it('compares positions as numbers, whatever their width or type', () => {
    expect(integrityOf(10, intact)).toBe('signed');
    expect(integrityOf('11', intact)).toBe('pending');
    const wide = { ...intact, verified: { ...intact.verified!, toPosition: '0'.repeat(30) + '9'.repeat(10) } };
    expect(integrityOf('9'.repeat(10), wide)).toBe('signed');
    expect(integrityOf('1' + '0'.repeat(10), wide)).toBe('pending');
  });

  it('marks nothing broken by position when the log ends early, and nothing at all for a position it cannot read', () => {
    const cut = { ...intact, status: 'broken' as const, firstBroken: { seq: 11, position: null, reason: 'cut' } };
    expect(integrityOf('00000000000000000010', cut)).toBe('signed');
    expect(integrityOf('challenge-[redacted]', intact)).toBeNull();
  });
});
