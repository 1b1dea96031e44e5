/**
 * Message validation after framing (RFC 3261 §8.2.1-§8.2.2, §16.3, §20):
 * mandatory headers present, single-valued headers not repeated, and the
 * headers every element must read (Via, From, To, Call-ID, CSeq,
 * Max-Forwards, Contact, Expires) syntactically valid. Structured values
 * parsed here are cached, so the accessors the stack calls next are free.
 */
import {
  callId,
  contacts,
  cseq,
  expires,
  fromHeader,
  maxForwards,
  toHeader,
  topVia,
  vias,
} from './accessors.ts';
import { SipSyntaxError } from './errors.ts';
import { canonicalHeaderName } from './headers.ts';
import type { SipMessage, SipParseError } from './types.ts';

/**
 * RFC 3261 §7.3.1: header fields that are not comma lists may appear only
 * once (RFC 4475 §3.3.8, §3.3.9). Indexed by lower-case long name.
 */
const SINGLE_VALUED: ReadonlyMap<string, string> = new Map([
  ['to', 'To'],
  ['from', 'From'],
  ['call-id', 'Call-ID'],
  ['cseq', 'CSeq'],
  ['max-forwards', 'Max-Forwards'],
  ['content-length', 'Content-Length'],
  ['content-type', 'Content-Type'],
  ['expires', 'Expires'],
  ['min-expires', 'Min-Expires'],
  ['mime-version', 'MIME-Version'],
  ['rseq', 'RSeq'],
  ['rack', 'RAck'],
  ['session-expires', 'Session-Expires'],
  ['min-se', 'Min-SE'],
]);

/** RFC 3261 §8.1.1: every request carries these; responses all but Max-Forwards. */
const MANDATORY_REQUEST: readonly string[] = ['via', 'to', 'from', 'call-id', 'cseq', 'max-forwards'];
const MANDATORY_RESPONSE: readonly string[] = ['via', 'to', 'from', 'call-id', 'cseq'];

/** Display names for mandatory header keys (used in reasons). */
const DISPLAY: ReadonlyMap<string, string> = new Map([
  ['via', 'Via'],
  ['to', 'To'],
  ['from', 'From'],
  ['call-id', 'Call-ID'],
  ['cseq', 'CSeq'],
  ['max-forwards', 'Max-Forwards'],
]);

export function badRequest(detail: string, header?: string): SipParseError {
  return header === undefined ? { status: 400, reason: `Bad Request (${detail})` } : { status: 400, reason: `Bad Request (${detail})`, header };
}

/** Validates a framed message; returns the first problem found, or undefined when the message is acceptable. */
export function validateMessage(message: SipMessage): SipParseError | undefined {
  const seen = new Set<string>();
  for (const field of message.headers) {
    const key = canonicalHeaderName(field.name);
    const display = SINGLE_VALUED.get(key);
    if (display === undefined) {
      if (key === 'via' || key === 'contact') seen.add(key);
      continue;
    }
    if (seen.has(key)) return badRequest(`${display} header appears more than once`, display);
    seen.add(key);
  }
  for (const key of message.kind === 'request' ? MANDATORY_REQUEST : MANDATORY_RESPONSE) {
    if (!seen.has(key)) {
      const display = DISPLAY.get(key) ?? key;
      return badRequest(`missing ${display} header`, display);
    }
  }
  let current = 'Via';
  try {
    vias(message);
    current = 'From';
    fromHeader(message);
    current = 'To';
    toHeader(message);
    current = 'Call-ID';
    callId(message);
    current = 'CSeq';
    const sequence = cseq(message);
    if (message.kind === 'request') {
      /** RFC 3261 §8.2.2 / RFC 4475 §3.1.2.17: the CSeq method must equal the request method. */
      if (sequence.method !== message.method) return badRequest('CSeq method does not match request method', 'CSeq');
      current = 'Max-Forwards';
      maxForwards(message);
    }
    if (seen.has('contact')) {
      current = 'Contact';
      contacts(message);
    }
    current = 'Expires';
    expires(message);
  } catch (error: unknown) {
    if (error instanceof SipSyntaxError) return badRequest(error.message, current);
    throw error;
  }
  return undefined;
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
