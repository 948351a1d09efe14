import { timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '@app/platform';

/**
 * Who may read what operators read (/metrics, /health/ready's details): with METRICS_TOKEN, whoever
 * sends it as a bearer token; without one, anyone when METRICS_PUBLIC (the default outside
 * production), nobody otherwise.
 */
export type OperatorAccess = 'granted' | 'wrong-token' | 'closed';

export function operatorAccess(metrics: AppConfig['metrics'], authorization: string | undefined): OperatorAccess {
  if (metrics.token !== null)
    return authorization !== undefined && sameText(authorization, `Bearer ${metrics.token}`)
      ? 'granted'
      : 'wrong-token';
  return metrics.public ? 'granted' : 'closed';
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
