import type { EventActor, SecurityEvent } from '../api/events';

/** Who did it, in words, from the event's actor. */
export function describeActor(event: Pick<SecurityEvent, 'actor' | 'userId'>): string {
  const actor: EventActor | null = event.actor;
  if (!actor) return 'Unknown actor';
  switch (actor.type) {
    case 'user':
      if (actor.id && actor.id === event.userId) return 'The user';
      return personName(actor, 'Another user');
    case 'admin':
      return personName(actor, 'An administrator');
    case 'system':
      return 'The system';
    case 'anonymous':
      return 'Someone not signed in';
    default:
      return `${actor.type} ${shortId(actor.id)}`.trim();
  }
}

/** A person by their address; once erased, or when unknown, by what they were and a short id. */
function personName(actor: EventActor, role: string): string {
  if (actor.email) return actor.email;
  if (actor.email === null) return `${role} (account erased)`;
  return actor.id ? `${role} (${shortId(actor.id)})` : role;
}

/** The account an event is about, as the log's link to it reads: its address, else what is known. */
export function describeSubject(event: Pick<SecurityEvent, 'userId' | 'userEmail'>): string {
  if (event.userEmail) return event.userEmail;
  if (event.userEmail === null) return `Erased account (${shortId(event.userId)})`;
  return `Account ${shortId(event.userId)}`;
}

export function shortId(id: string | null | undefined): string {
  if (!id) return '';
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

const BROWSERS: [RegExp, string][] = [
  [/Edg(?:e|A|iOS)?\//, 'Edge'],
  [/OPR\//, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/HeadlessChrome/, 'Headless Chrome'],
  [/Chrome\/|CriOS\//, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/^curl\//, 'curl'],
];

const SYSTEMS: [RegExp, string][] = [
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** "Firefox on Linux": enough to recognise a device; the full string stays in a tooltip. */
export function describeUserAgent(userAgent: string | null | undefined): string {
  if (!userAgent) return 'unknown device';
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? 'unrecognised client';
}
