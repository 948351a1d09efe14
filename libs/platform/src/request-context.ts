/** Who asked, from where: travels from the HTTP edge into every event's metadata. */
export interface RequestContext {
  requestId: string;
  /** The correlation id of the whole operation; the request id unless the caller sent one. */
  correlationId: string;
  ip: string | null;
  userAgent: string | null;
  actor: Actor;
}

export interface Actor {
  type: 'user' | 'admin' | 'system' | 'anonymous';
  id: string | null;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null };

export function systemContext(requestId: string): RequestContext {
  return { requestId, correlationId: requestId, ip: null, userAgent: null, actor: SYSTEM_ACTOR };
}
