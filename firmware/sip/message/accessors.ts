/**
 * Structured, validated views of the headers a SIP stack reads on every
 * message. Each accessor finds the header by name (long or compact form,
 * case-insensitive, RFC 3261 §7.3.3) and throws `SipSyntaxError` when the
 * header is missing (for mandatory ones) or malformed.
 *
 * Parsed values are cached on the message per header field object (fields
 * are immutable `{ name, value }` pairs, replaced rather than edited), so
 * repeated access is cheap. The returned objects are shared: treat them as
 * read-only (build a new value and replace the header to change one).
 */
import { DIGIT, isChar } from './char-classes.ts';
import { checkCallId } from './call-id.ts';
import { parseCSeq } from './cseq.ts';
import { SipSyntaxError } from './errors.ts';
import { equalsLower } from './scan.ts';
import { memo } from './message-cache.ts';
import { checkNameAddrParam, parseNameAddr, scanNameAddrList } from './name-addr.ts';
import type { CSeq, Header, NameAddr, SipMessage, Via } from './types.ts';
import { scanViaList } from './via.ts';

/** A header name in its lower-case long form, its compact form ('' when it has none) and its usual spelling. */
interface HeaderName {
  readonly long: string;
  readonly compact: string;
  /** As usually written (the parser gives such fields this very string, so it is compared first). */
  readonly usual: string;
}

export const VIA: HeaderName = { long: 'via', compact: 'v', usual: 'Via' };
export const FROM: HeaderName = { long: 'from', compact: 'f', usual: 'From' };
export const TO: HeaderName = { long: 'to', compact: 't', usual: 'To' };
export const CALL_ID: HeaderName = { long: 'call-id', compact: 'i', usual: 'Call-ID' };
export const CSEQ: HeaderName = { long: 'cseq', compact: '', usual: 'CSeq' };
export const CONTACT: HeaderName = { long: 'contact', compact: 'm', usual: 'Contact' };
export const MAX_FORWARDS: HeaderName = { long: 'max-forwards', compact: '', usual: 'Max-Forwards' };
export const CONTENT_LENGTH: HeaderName = { long: 'content-length', compact: 'l', usual: 'Content-Length' };
export const EXPIRES: HeaderName = { long: 'expires', compact: '', usual: 'Expires' };

/** Largest delta-seconds value (RFC 3261 §20.19: 2^32 - 1). */
export const MAX_DELTA_SECONDS = 2 ** 32 - 1;
/** Largest Max-Forwards value (RFC 3261 §20.22: 0..255). */
export const MAX_MAX_FORWARDS = 255;

/** True when a header field name is `wanted` (either form, any case). Cheap length test first, no allocation. */
export function nameIs(name: string, wanted: HeaderName): boolean {
  if (name === wanted.usual) return true;
  if (name.length === 1) return wanted.compact !== '' && (name.charCodeAt(0) | 0x20) === wanted.compact.charCodeAt(0);
  return name.length === wanted.long.length && equalsLower(name, 0, wanted.long);
}

export function firstField(message: SipMessage, wanted: HeaderName): Header | undefined {
  const headers = message.headers;
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i] as Header;
    if (nameIs(header.name, wanted)) return header;
  }
  return undefined;
}

function requiredField(message: SipMessage, wanted: HeaderName, display: string): Header {
  const field = firstField(message, wanted);
  if (field === undefined) throw new SipSyntaxError({ what: display, problem: 'header missing' });
  return field;
}

/** The Via values of one Via header field (a comma list). */
export function parseViaField(field: Header): readonly Via[] {
  return viasIn(field.value, 0, field.value.length);
}

/** The Via values of the Via field value text[start, end) (positions in errors are in `text`). */
export function viasIn(text: string, start: number, end: number): readonly Via[] {
  const out: Via[] = [];
  scanViaList(text, start, end, out);
  return out;
}

function viasOfField(message: SipMessage, field: Header): readonly Via[] {
  return memo(message, field, parseViaField);
}

/** RFC 3261 §18.2.1 / §18.1.2: the topmost Via value. */
export function topVia(message: SipMessage): Via {
  return viasOfField(message, requiredField(message, VIA, 'Via'))[0] as Via;
}

/** Every Via value, top first. */
export function vias(message: SipMessage): Via[] {
  const all: Via[] = [];
  for (const field of message.headers) if (nameIs(field.name, VIA)) all.push(...viasOfField(message, field));
  if (all.length === 0) throw new SipSyntaxError({ what: 'Via', problem: 'header missing' });
  return all;
}

export function parseFromField(field: Header): NameAddr {
  return parseNameAddr(field.value, 'From');
}

export function parseToField(field: Header): NameAddr {
  return parseNameAddr(field.value, 'To');
}

export function fromHeader(message: SipMessage): NameAddr {
  return memo(message, requiredField(message, FROM, 'From'), parseFromField);
}

export function toHeader(message: SipMessage): NameAddr {
  return memo(message, requiredField(message, TO, 'To'), parseToField);
}

/** The From tag, or undefined (RFC 2543 peers may omit it). */
export function fromTag(message: SipMessage): string | undefined {
  return memo(message, requiredField(message, FROM, 'From'), fromTagOfField);
}

/** The To tag, or undefined (out-of-dialog requests). */
export function toTag(message: SipMessage): string | undefined {
  return memo(message, requiredField(message, TO, 'To'), toTagOfField);
}

/**
 * RFC 3261 §8.1.1.3, §19.3: the `tag` of a From field, the whole field checked
 * as `parseFromField` would, without building its URI or parameter table.
 */
export function fromTagOfField(field: Header): string | undefined {
  return tagIn(field.value, 0, field.value.length, 'From');
}

/** RFC 3261 §8.1.1.2, §19.3: the `tag` of a To field, checked as `fromTagOfField` does. */
export function toTagOfField(field: Header): string | undefined {
  return tagIn(field.value, 0, field.value.length, 'To');
}

/** The tag of the From/To value text[start, end), the whole value checked (positions in errors are in `text`). */
export function tagIn(text: string, start: number, end: number, what: 'From' | 'To'): string | undefined {
  return checkNameAddrParam(text, start, end, what, 'tag') ?? undefined;
}

/** RFC 3261 §20.8 / §25.1: Call-ID = word [ "@" word ], trimmed. */
export function callId(message: SipMessage): string {
  return memo(message, requiredField(message, CALL_ID, 'Call-ID'), callIdOfField);
}

export function callIdOfField(field: Header): string {
  return checkCallId(field.value);
}

export function cseq(message: SipMessage): CSeq {
  return memo(message, requiredField(message, CSEQ, 'CSeq'), parseCSeqField);
}

export function parseCSeqField(field: Header): CSeq {
  return parseCSeq(field.value);
}

/**
 * RFC 3261 §20.10: every Contact value, or `'*'` for the REGISTER wildcard
 * (which must then be the only value). No Contact header → `[]`.
 */
export function contacts(message: SipMessage): NameAddr[] | '*' {
  const all: NameAddr[] = [];
  let star = false;
  for (const field of message.headers) {
    if (!nameIs(field.name, CONTACT)) continue;
    const parsed = memo(message, field, parseContactField);
    if (parsed === '*') star = true;
    else all.push(...parsed);
  }
  if (star) {
    if (all.length > 0) throw new SipSyntaxError({ what: 'Contact', problem: '"*" mixed with other values' });
    return '*';
  }
  return all;
}

export function parseContactField(field: Header): readonly NameAddr[] | '*' {
  if (field.value.trim() === '*') return '*';
  const out: NameAddr[] = [];
  scanNameAddrList(field.value, 0, field.value.length, 'Contact', out);
  return out;
}

/** RFC 3261 §20.22: 0..255, undefined when absent. */
export function maxForwards(message: SipMessage): number | undefined {
  return numericHeader(message, MAX_FORWARDS, 'Max-Forwards', MAX_MAX_FORWARDS);
}

/** RFC 3261 §20.14: the declared body length, undefined when absent. */
export function contentLength(message: SipMessage): number | undefined {
  return numericHeader(message, CONTENT_LENGTH, 'Content-Length', 2 ** 31 - 1);
}

/** RFC 3261 §20.19: delta-seconds (0..2^32-1), undefined when absent. */
export function expires(message: SipMessage): number | undefined {
  return numericHeader(message, EXPIRES, 'Expires', MAX_DELTA_SECONDS);
}

function numericHeader(message: SipMessage, wanted: HeaderName, what: string, max: number): number | undefined {
  const field = firstField(message, wanted);
  if (field === undefined) return undefined;
  return parseNumber(field.value, what, max);
}

/** 1*DIGIT with surrounding LWS, at most `max` (leading zeros allowed). */
export function parseNumber(value: string, what: string, max: number): number {
  const text = value.trim();
  if (text.length === 0) throw new SipSyntaxError({ what, problem: 'empty value' });
  let number = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isChar(code, DIGIT)) throw new SipSyntaxError({ what, problem: 'not a number', text, offset: i });
    number = number * 10 + (code - 0x30);
    if (number > max) throw new SipSyntaxError({ what, problem: `value above ${max}`, text });
  }
  return number;
}
