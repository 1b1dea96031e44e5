/**
 * Raw header access: look-ups by name with RFC 3261 §7.3.3 compact forms and
 * case-insensitivity, and RFC 3261 §7.3.1 comma-separated lists.
 */
import type { Header, SipMessage } from './types.ts';

/** RFC 3261 §7.3.3 and the registrations that followed (RFC 3515, 3892, 3903, 4028, 3841). */
const COMPACT_FORMS: ReadonlyMap<string, string> = new Map([
  ['i', 'call-id'],
  ['m', 'contact'],
  ['e', 'content-encoding'],
  ['l', 'content-length'],
  ['c', 'content-type'],
  ['f', 'from'],
  ['s', 'subject'],
  ['k', 'supported'],
  ['t', 'to'],
  ['v', 'via'],
  ['o', 'event'],
  ['r', 'refer-to'],
  ['b', 'referred-by'],
  ['x', 'session-expires'],
  ['u', 'allow-events'],
  ['a', 'accept-contact'],
  ['j', 'reject-contact'],
  ['d', 'request-disposition'],
  ['y', 'identity'],
]);

/** The lower-case long form of a header name (`v` → `via`, `Call-ID` → `call-id`). */
export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT_FORMS.get(lower) ?? lower;
}

/**
 * Headers whose values are comma-separated lists (RFC 3261 §7.3.1). Others
 * (From, To, Call-ID, CSeq, WWW-Authenticate, Date, ...) may contain commas
 * inside a single value and must never be split.
 */
const LIST_HEADERS: ReadonlySet<string> = new Set([
  'via', 'contact', 'route', 'record-route', 'allow', 'supported', 'require',
  'proxy-require', 'unsupported', 'accept', 'accept-encoding', 'accept-language',
  'content-encoding', 'content-language', 'allow-events', 'in-reply-to', 'path',
  'service-route', 'alert-info', 'call-info', 'error-info', 'warning', 'p-asserted-identity',
  'security-client', 'security-server', 'security-verify', 'reason', 'history-info',
]);

export function isListHeader(name: string): boolean {
  return LIST_HEADERS.has(canonicalHeaderName(name));
}

/** First value of the header (the whole field value, not split), or undefined. */
export function getHeader(message: SipMessage, name: string): string | undefined {
  const wanted = canonicalHeaderName(name);
  for (const header of message.headers) {
    if (canonicalHeaderName(header.name) === wanted) return header.value;
  }
  return undefined;
}

/** All field values of this header, in order; list headers are split at top-level commas. */
export function getHeaderValues(message: SipMessage, name: string): string[] {
  const wanted = canonicalHeaderName(name);
  const split = LIST_HEADERS.has(wanted);
  const values: string[] = [];
  for (const header of message.headers) {
    if (canonicalHeaderName(header.name) !== wanted) continue;
    if (split) values.push(...splitCommaList(header.value));
    else values.push(header.value);
  }
  return values;
}

export function hasHeader(message: SipMessage, name: string): boolean {
  return getHeader(message, name) !== undefined;
}

/** Replaces every occurrence of the header with a single field (appended where the first one was, or at the end). */
export function setHeader(message: SipMessage, name: string, value: string): void {
  const wanted = canonicalHeaderName(name);
  const index = message.headers.findIndex((h) => canonicalHeaderName(h.name) === wanted);
  const kept = message.headers.filter((h) => canonicalHeaderName(h.name) !== wanted);
  const at = index < 0 ? kept.length : index;
  kept.splice(at, 0, { name, value });
  message.headers = kept;
}

export function appendHeader(message: SipMessage, name: string, value: string): void {
  message.headers.push({ name, value });
}

/** Adds a field before the first field of the same name (a new top Via, a Route), or first of all. */
export function prependHeader(message: SipMessage, name: string, value: string): void {
  const wanted = canonicalHeaderName(name);
  const index = message.headers.findIndex((h) => canonicalHeaderName(h.name) === wanted);
  message.headers.splice(index < 0 ? 0 : index, 0, { name, value });
}

export function removeHeader(message: SipMessage, name: string): void {
  const wanted = canonicalHeaderName(name);
  message.headers = message.headers.filter((h) => canonicalHeaderName(h.name) !== wanted);
}

/** Removes the first value of a (possibly multi-valued) list header: the top Via of a response at a UAC. */
export function removeFirstValue(message: SipMessage, name: string): void {
  const wanted = canonicalHeaderName(name);
  const index = message.headers.findIndex((h) => canonicalHeaderName(h.name) === wanted);
  if (index < 0) return;
  const header = message.headers[index] as Header;
  const rest = splitCommaList(header.value).slice(1);
  if (rest.length === 0) message.headers.splice(index, 1);
  else message.headers[index] = { name: header.name, value: rest.join(', ') };
}

/**
 * Splits a header value at commas that are outside quoted strings and angle
 * brackets (`<sip:a@b;x=1,2>` stays whole). Empty elements are dropped.
 */
export function splitCommaList(value: string): string[] {
  const parts: string[] = [];
  let depthAngle = 0;
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value.charCodeAt(i);
    if (inQuotes) {
      if (ch === 0x5c /* \ */) i++;
      else if (ch === 0x22 /* " */) inQuotes = false;
    } else if (ch === 0x22) inQuotes = true;
    else if (ch === 0x3c /* < */) depthAngle++;
    else if (ch === 0x3e /* > */ && depthAngle > 0) depthAngle--;
    else if (ch === 0x2c /* , */ && depthAngle === 0) {
      const part = value.slice(start, i).trim();
      if (part) parts.push(part);
      start = i + 1;
    }
  }
  const last = value.slice(start).trim();
  if (last) parts.push(last);
  return parts;
}
