/**
 * Message validation after framing (RFC 3261 §8.1.1, §8.2.1-§8.2.2, §20):
 * mandatory headers present, single-valued headers not repeated, and the
 * headers every element must read (Via, From, To, Call-ID, CSeq,
 * Max-Forwards, Contact, Expires) syntactically valid. What the stack reads
 * on every message (top Via, From/To tags, CSeq) is cached on the message as
 * it is checked, so those accessors are free; the rest is checked without
 * building anything.
 */
import {
  MAX_DELTA_SECONDS,
  MAX_MAX_FORWARDS,
  callIdOfField,
  fromTagOfField,
  parseCSeqField,
  parseNumber,
  parseViaField,
  tagIn,
  toTagOfField,
  viasIn,
  callId,
  cseq,
  fromHeader,
  toHeader,
  topVia,
} from './accessors.ts';
import { SipSyntaxError } from './errors.ts';
import {
  type HeaderIndex,
  indexHeaders,
  KIND_CALL_ID,
  KIND_CSEQ,
  KIND_EXPIRES,
  KIND_FROM,
  KIND_MAX_FORWARDS,
  KIND_NAMES,
  KIND_OTHER,
  KIND_TO,
  KIND_VIA,
} from './header-index.ts';
import { isCallIdAt } from './call-id.ts';
import { cacheOf, type MessageCache, memo, rememberIn } from './message-cache.ts';
import { scanNameAddrList } from './name-addr.ts';
import { scanViaList } from './via.ts';
import type { Header, SipMessage, SipParseError } from './types.ts';

/** RFC 3261 §8.1.1: every request carries these; responses all but Max-Forwards. */
const MANDATORY_REQUEST: readonly number[] = [KIND_VIA, KIND_TO, KIND_FROM, KIND_CALL_ID, KIND_CSEQ, KIND_MAX_FORWARDS];
const MANDATORY_RESPONSE: readonly number[] = [KIND_VIA, KIND_TO, KIND_FROM, KIND_CALL_ID, KIND_CSEQ];

export function badRequest(detail: string, header?: string): SipParseError {
  return header === undefined ? { status: 400, reason: `Bad Request (${detail})` } : { status: 400, reason: `Bad Request (${detail})`, header };
}

/** Validates a framed message; returns the first problem found, or undefined when the message is acceptable. */
export function validateMessage(message: SipMessage): SipParseError | undefined {
  return validateIndexed(message, indexHeaders(message.headers));
}

/** As `validateMessage`, with the header index the parser built while reading the fields. */
export function validateIndexed(message: SipMessage, index: HeaderIndex): SipParseError | undefined {
  /** RFC 3261 §7.3.1 / RFC 4475 §3.3.8: a single-valued header may appear once only. */
  if (index.duplicate !== KIND_OTHER) {
    const display = KIND_NAMES[index.duplicate] as string;
    return badRequest(`${display} header appears more than once`, display);
  }
  const first = index.first;
  for (const kind of message.kind === 'request' ? MANDATORY_REQUEST : MANDATORY_RESPONSE) {
    if (first[kind] === undefined) {
      const display = KIND_NAMES[kind] as string;
      return badRequest(`missing ${display} header`, display);
    }
  }
  const text = index.text;
  const cache = cacheOf(message);
  let current = 'Via';
  // The span being checked (positions in `text`), to quote only its value in an error; -1: a value checked on its own.
  let spanStart = -1;
  let spanEnd = -1;
  try {
    // What every stack reads on every message (top Via field, From/To tags, Call-ID, CSeq) is built and
    // cached now; the rest is checked without building anything (the accessors build it on demand).
    // Values that are slices of the header section are read there in place (see HeaderIndex).
    const vias = index.vias;
    for (let k = 0; k < vias.length; k++) {
      const field = vias[k] as Header;
      const at = index.viasAt[k] as number;
      spanStart = at;
      spanEnd = at + field.value.length;
      if (field === first[KIND_VIA]) {
        keep(cache, field, parseViaField, at < 0 ? parseViaField(field) : viasIn(text, spanStart, spanEnd));
      } else if (at < 0) scanViaList(field.value, 0, field.value.length, null);
      else scanViaList(text, spanStart, spanEnd, null);
    }
    // From/To: checked in full, only their tags kept (the URIs are built when fromHeader/toHeader ask).
    current = 'From';
    const from = first[KIND_FROM] as Header;
    spanStart = index.firstAt[KIND_FROM] as number;
    spanEnd = spanStart + from.value.length;
    keep(cache, from, fromTagOfField, spanStart < 0 ? fromTagOfField(from) : tagIn(text, spanStart, spanEnd, 'From'));
    current = 'To';
    const to = first[KIND_TO] as Header;
    spanStart = index.firstAt[KIND_TO] as number;
    spanEnd = spanStart + to.value.length;
    keep(cache, to, toTagOfField, spanStart < 0 ? toTagOfField(to) : tagIn(text, spanStart, spanEnd, 'To'));
    spanStart = -1;
    current = 'Call-ID';
    const callIdField = first[KIND_CALL_ID] as Header;
    const callIdAt = index.firstAt[KIND_CALL_ID] as number;
    if (callIdAt >= 0 && isCallIdAt(text, callIdAt, callIdAt + callIdField.value.length)) keep(cache, callIdField, callIdOfField, callIdField.value);
    else memo(message, callIdField, callIdOfField);
    current = 'CSeq';
    const sequence = memo(message, first[KIND_CSEQ] as Header, parseCSeqField);
    if (message.kind === 'request') {
      /** RFC 3261 §8.2.2 / RFC 4475 §3.1.2.17: the CSeq method must equal the request method. */
      if (sequence.method !== message.method) return badRequest('CSeq method does not match request method', 'CSeq');
      current = 'Max-Forwards';
      /** RFC 3261 §20.22: Max-Forwards is 0..255. */
      parseNumber((first[KIND_MAX_FORWARDS] as Header).value, 'Max-Forwards', MAX_MAX_FORWARDS);
    }
    current = 'Contact';
    const contacts = index.contacts;
    for (let k = 0; k < contacts.length; k++) {
      const field = contacts[k] as Header;
      if (field.value.trim() === '*') continue;
      const at = index.contactsAt[k] as number;
      spanStart = at;
      spanEnd = at + field.value.length;
      if (at < 0) scanNameAddrList(field.value, 0, field.value.length, 'Contact', null);
      else scanNameAddrList(text, spanStart, spanEnd, 'Contact', null);
    }
    spanStart = -1;
    const expiresField = first[KIND_EXPIRES];
    current = 'Expires';
    /** RFC 3261 §20.19: delta-seconds up to 2^32-1 (RFC 4475 §3.1.2.4). */
    if (expiresField !== undefined) parseNumber(expiresField.value, 'Expires', MAX_DELTA_SECONDS);
  } catch (error: unknown) {
    if (error instanceof SipSyntaxError) return badRequest((spanStart < 0 ? error : error.anchoredTo(spanStart, spanEnd)).message, current);
    throw error;
  }
  return undefined;
}

/** Caches a value computed here as `parse(field)` would (nothing to cache into on a frozen message). */
function keep<T>(cache: MessageCache | undefined, field: Header, parse: (field: Header) => T, value: T): void {
  if (cache !== undefined) rememberIn(cache, field, parse, value);
}

/** True when a UAS can build a response from the message (RFC 3261 §8.2.6: Via, From, To, Call-ID, CSeq usable). */
export function isAnswerable(message: SipMessage): boolean {
  try {
    topVia(message);
    fromHeader(message);
    toHeader(message);
    callId(message);
    cseq(message);
    return true;
  } catch {
    return false;
  }
}
