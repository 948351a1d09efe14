/** One dependency's state in the readiness report (event store, read store, projector lag, ...). */
export interface HealthCheck {
  status: string;
  [detail: string]: unknown;
}

/** Body of `GET /health/ready`. */
export interface ReadinessReport {
  status: string;
  checks: Record<string, HealthCheck>;
}

/** The readiness call failed: `status` is the HTTP status, or null when no response arrived. */
export class HealthCheckError extends Error {
  override readonly name = 'HealthCheckError';

  constructor(
    message: string,
    readonly status: number | null,
    /** The report the server sent with a failing status, when it could be read. */
    readonly report?: ReadinessReport,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const READINESS_PATH = '/health/ready';

export async function fetchReadiness(signal?: AbortSignal): Promise<ReadinessReport> {
  let response: Response;
  try {
    response = await fetch(READINESS_PATH, { headers: { Accept: 'application/json' }, signal });
  } catch (cause) {
    throw new HealthCheckError('The service could not be reached.', null, undefined, { cause });
  }

  const body: unknown = await response.json().catch(() => undefined);
  const report = parseReadinessReport(body);

  if (!response.ok) {
    throw new HealthCheckError(
      `The service is not ready (HTTP ${response.status}).`,
      response.status,
      report ?? undefined,
    );
  }
  if (!report) {
    throw new HealthCheckError('The service sent an unexpected readiness report.', response.status);
  }
  return report;
}

/** Returns null when the body is not `{status: string, checks: object}`. */
export function parseReadinessReport(body: unknown): ReadinessReport | null {
  if (!isRecord(body) || typeof body.status !== 'string' || !isRecord(body.checks)) {
    return null;
  }
  const checks: Record<string, HealthCheck> = {};
  for (const [name, check] of Object.entries(body.checks)) {
    checks[name] = toHealthCheck(check);
  }
  return { status: body.status, checks };
}

function toHealthCheck(check: unknown): HealthCheck {
  if (isRecord(check) && typeof check.status === 'string') {
    return { ...check, status: check.status };
  }
  // A bare value such as "up" or true is the check's status.
  if (typeof check === 'string' || typeof check === 'boolean' || typeof check === 'number') {
    return { status: String(check) };
  }
  return { status: 'unknown' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
