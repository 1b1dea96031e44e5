/**
 * Building messages: responses to a request (RFC 3261 §8.2.6), tags and
 * branches (RFC 3261 §19.3, §8.1.1.7).
 */
import { randomBytes } from 'node:crypto';
import { CALL_ID, CSEQ, FROM, nameIs, TO, toTag as readToTag, VIA } from './accessors.ts';
import { SipSyntaxError } from './errors.ts';
import { canonicalHeaderName } from './headers.ts';
import { defaultReasonPhrase } from './reason-phrases.ts';
import { MAGIC_COOKIE, type Header, type SipRequest, type SipResponse } from './types.ts';

export { defaultReasonPhrase } from './reason-phrases.ts';

export interface CreateResponseOptions {
  /** To tag to add (RFC 3261 §8.2.6.2); a random one when omitted. Never added to a 100 or when To already has a tag. */
  readonly toTag?: string;
}

/**
 * RFC 3261 §8.2.6: a response to `request` with its Via fields (same values,
 * same order), From, To, Call-ID and CSeq copied verbatim, the To tag added
 * when needed, and (for 100 Trying) the Timestamp copied (§8.2.6.1).
 * The body is empty; the serializer writes Content-Length.
 */
export function createResponse(request: SipRequest, status: number, reason?: string, options: CreateResponseOptions = {}): SipResponse {
  if (!Number.isInteger(status) || status < 100 || status > 699) {
    throw new RangeError(`status must be an integer in 100..699, got ${status}`);
  }
  const headers: Header[] = [];
  for (const field of request.headers) {
    /** RFC 3261 §8.2.6.2: Via header field values in the response MUST equal the request's, in order. */
    if (nameIs(field.name, VIA)) headers.push({ name: 'Via', value: field.value });
  }
  let from: Header | undefined;
  let to: Header | undefined;
  let callIdField: Header | undefined;
  let cseqField: Header | undefined;
  let timestamp: Header | undefined;
  for (const field of request.headers) {
    if (from === undefined && nameIs(field.name, FROM)) from = field;
    else if (to === undefined && nameIs(field.name, TO)) to = field;
    else if (callIdField === undefined && nameIs(field.name, CALL_ID)) callIdField = field;
    else if (cseqField === undefined && nameIs(field.name, CSEQ)) cseqField = field;
    else if (timestamp === undefined && canonicalHeaderName(field.name) === 'timestamp') timestamp = field;
  }
  if (from !== undefined) headers.push({ name: 'From', value: from.value });
  if (to !== undefined) headers.push({ name: 'To', value: toValue(request, to, status, options) });
  if (callIdField !== undefined) headers.push({ name: 'Call-ID', value: callIdField.value });
  if (cseqField !== undefined) headers.push({ name: 'CSeq', value: cseqField.value });
  /** RFC 3261 §8.2.6.1: a 100 (Trying) copies the request's Timestamp. */
  if (status === 100 && timestamp !== undefined) headers.push({ name: 'Timestamp', value: timestamp.value });
  return {
    kind: 'response',
    version: 'SIP/2.0',
    status,
    reason: reason ?? defaultReasonPhrase(status),
    headers,
    body: Buffer.alloc(0),
  };
}

/** RFC 3261 §8.2.6.2: the UAS adds a To tag unless the request had one; never on 100 (Trying). */
function toValue(request: SipRequest, to: Header, status: number, options: CreateResponseOptions): string {
  if (status === 100) return to.value;
  let existing: string | undefined;
  try {
    existing = readToTag(request);
  } catch (error: unknown) {
    // A To we cannot parse (answering a 400 to it) is copied as received, without a tag.
    if (error instanceof SipSyntaxError) return to.value;
    throw error;
  }
  if (existing !== undefined) return to.value;
  return `${to.value};tag=${options.toTag ?? randomToken(8)}`;
}

/** `bytes` cryptographically random octets as lower-case hex (a valid `token`, RFC 3261 §19.3 tags). */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** RFC 3261 §8.1.1.7: a branch starting with the magic cookie `z9hG4bK`, then 96 random bits. */
export function newBranch(): string {
  return `${MAGIC_COOKIE}${randomToken(12)}`;
}
