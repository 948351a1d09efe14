import { escapeHtml } from './escape-html';

/** What every template returns; the caller adds the recipient to make an `OutgoingMail`. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** Every template is a pure function of its parameters, e.g. `passwordChanged(params)`. */
export type MailTemplate<Params> = (params: Params) => RenderedMail;

/** When and from where a security event happened, as recorded in the event's metadata. */
export interface EventOrigin {
  /** ISO 8601 time of the event. */
  occurredAt: string;
  browser: string | null;
  os: string | null;
  ip: string | null;
  location: string | null;
}

/** A security notice: a heading (the subject), what happened, facts, and what to do. */
export interface SecurityNotice {
  subject: string;
  paragraphs: string[];
  details: Array<[label: string, value: string]>;
  advice: string[];
}

/** Rows every notice about an event shows: time, device, IP address and approximate location. */
export function originDetails(origin: EventOrigin): Array<[string, string]> {
  return [
    ['Time', formatUtc(origin.occurredAt)],
    ['Device', describeDevice(origin.browser, origin.os)],
    ['IP address', origin.ip ?? 'Unknown'],
    ['Approximate location', origin.location ?? 'Unknown'],
  ];
}

/**
 * Renders a notice as plain text and HTML. Every string is treated as text: made one line (user
 * agents and addresses are attacker-controlled, a newline could forge a paragraph) and escaped in
 * the HTML, so no template can forget to escape. Templates therefore never write markup.
 */
export function renderSecurityNotice(notice: SecurityNotice): RenderedMail {
  const paragraphs = notice.paragraphs.map(oneLine);
  const advice = notice.advice.map(oneLine);
  const details = notice.details.map(([label, value]) => [oneLine(label), oneLine(value)] as const);
  const labelWidth = Math.max(...details.map(([label]) => label.length + 1));

  const text = [
    notice.subject,
    '',
    ...paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...details.map(([label, value]) => `${`${label}:`.padEnd(labelWidth)} ${value}`),
    '',
    ...advice.flatMap((paragraph) => [paragraph, '']),
  ].join('\n');

  const rows = details.map(
    ([label, value]) =>
      `<tr><th scope="row" style="text-align:left;padding:4px 16px 4px 0">${escapeHtml(label)}</th>` +
      `<td style="padding:4px 0">${escapeHtml(value)}</td></tr>`,
  );
  const html = [
    '<!doctype html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${escapeHtml(notice.subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#1a1a1a">',
    `<h1 style="font-size:20px">${escapeHtml(notice.subject)}</h1>`,
    ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    `<table role="presentation" style="border-collapse:collapse">${rows.join('')}</table>`,
    ...advice.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');

  return { subject: notice.subject, text, html };
}

/** "Firefox on Windows"; whichever part is known; "Unknown device" when neither is. */
export function describeDevice(browser: string | null, os: string | null): string {
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? 'Unknown device';
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * "Sunday, 23 November 2025, 14:50 UTC". Built by hand rather than with Intl, whose output varies
 * with the ICU version. A value that is not a date is shown as given rather than failing the mail.
 */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${WEEKDAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}, ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`
  );
}

const MAX_VALUE_LENGTH = 200;

/** Runs of whitespace and control characters (newlines included) become one space; long values are cut. */
function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return flat.length > MAX_VALUE_LENGTH ? `${flat.slice(0, MAX_VALUE_LENGTH - 1)}…` : flat;
}
