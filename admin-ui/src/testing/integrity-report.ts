import type { IntegrityReport } from '../api/integrity';

/** An intact report: events 1-10 signed, 11-12 not yet (specs change what they test). */
export const INTACT_REPORT: IntegrityReport = {
  status: 'intact',
  checkedAt: '2026-11-28T10:00:00Z',
  keyId: '0123456789abcdef',
  publicKey: 'PUBLICKEY',
  events: 12,
  verified: { fromPosition: '00000000000000000001', toPosition: '00000000000000000010', events: 10 },
  lastCheckpoint: { toSeq: 10, position: '00000000000000000010', signedAt: '2026-11-28T09:59:00Z', link: 'l' },
  pending: 2,
  firstBroken: null,
};
