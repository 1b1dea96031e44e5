/**
 * Classifies header field names (long or compact form, any case, RFC 3261
 * §7.3.3) into the few kinds the parser and validator care about, without
 * allocating for the usual spellings, and indexes a message's fields by kind.
 */
import type { Header } from './types.ts';

export const KIND_OTHER = 0;
export const KIND_VIA = 1;
export const KIND_FROM = 2;
export const KIND_TO = 3;
export const KIND_CALL_ID = 4;
export const KIND_CSEQ = 5;
export const KIND_MAX_FORWARDS = 6;
export const KIND_CONTENT_LENGTH = 7;
export const KIND_CONTACT = 8;
export const KIND_EXPIRES = 9;
export const KIND_CONTENT_TYPE = 10;
export const KIND_MIN_EXPIRES = 11;
export const KIND_MIME_VERSION = 12;
export const KIND_RSEQ = 13;
export const KIND_RACK = 14;
export const KIND_SESSION_EXPIRES = 15;
export const KIND_MIN_SE = 16;
export const KIND_COUNT = 17;

/** Display names, by kind. */
export const KIND_NAMES: readonly string[] = [
  '', 'Via', 'From', 'To', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Length', 'Contact', 'Expires',
  'Content-Type', 'Min-Expires', 'MIME-Version', 'RSeq', 'RAck', 'Session-Expires', 'Min-SE',
];

/** True when text[start...] equals the lower-case ASCII `lower` ignoring case (letters and `-` only in `lower`). */
function sameName(text: string, start: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    if ((text.charCodeAt(start + i) | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** The kind of a header field name. */
export function headerKind(name: string): number {
  return headerKindAt(name, 0, name.length);
}

/**
 * The kind of the header field name text[start, end): a switch on length,
 * then a case-insensitive compare in place (no copy, no hashing).
 */
export function headerKindAt(text: string, start: number, end: number): number {
  switch (end - start) {
    case 1:
      switch (text.charCodeAt(start) | 0x20) {
        case 0x76 /* v */: return KIND_VIA;
        case 0x66 /* f */: return KIND_FROM;
        case 0x74 /* t */: return KIND_TO;
        case 0x69 /* i */: return KIND_CALL_ID;
        case 0x6d /* m */: return KIND_CONTACT;
        case 0x6c /* l */: return KIND_CONTENT_LENGTH;
        case 0x63 /* c */: return KIND_CONTENT_TYPE;
        case 0x78 /* x */: return KIND_SESSION_EXPIRES;
        default: return KIND_OTHER;
      }
    case 2: return sameName(text, start, 'to') ? KIND_TO : KIND_OTHER;
    case 3: return sameName(text, start, 'via') ? KIND_VIA : KIND_OTHER;
    case 4:
      if (sameName(text, start, 'from')) return KIND_FROM;
      if (sameName(text, start, 'cseq')) return KIND_CSEQ;
      if (sameName(text, start, 'rseq')) return KIND_RSEQ;
      return sameName(text, start, 'rack') ? KIND_RACK : KIND_OTHER;
    case 6: return sameName(text, start, 'min-se') ? KIND_MIN_SE : KIND_OTHER;
    case 7:
      if (sameName(text, start, 'call-id')) return KIND_CALL_ID;
      if (sameName(text, start, 'contact')) return KIND_CONTACT;
      return sameName(text, start, 'expires') ? KIND_EXPIRES : KIND_OTHER;
    case 11: return sameName(text, start, 'min-expires') ? KIND_MIN_EXPIRES : KIND_OTHER;
    case 12:
      if (sameName(text, start, 'max-forwards')) return KIND_MAX_FORWARDS;
      if (sameName(text, start, 'content-type')) return KIND_CONTENT_TYPE;
      return sameName(text, start, 'mime-version') ? KIND_MIME_VERSION : KIND_OTHER;
    case 14: return sameName(text, start, 'content-length') ? KIND_CONTENT_LENGTH : KIND_OTHER;
    case 15: return sameName(text, start, 'session-expires') ? KIND_SESSION_EXPIRES : KIND_OTHER;
    default: return KIND_OTHER;
  }
}

/** Kinds that are not comma lists and may appear once only (RFC 3261 §7.3.1). */
export function isSingleValuedKind(kind: number): boolean {
  return kind !== KIND_OTHER && kind !== KIND_VIA && kind !== KIND_CONTACT;
}

/**
 * The fields of a message by kind, as the parser or validator found them,
 * with where each value lies in the header section it was read from (so it
 * can be checked in place, without a substring): `-1` when the value is not a
 * slice of `text` (a folded field, or fields indexed without their text).
 */
export interface HeaderIndex {
  /** The header section the fields were read from ('' when indexed from fields). */
  readonly text: string;
  /** First field of each kind (index = kind). */
  readonly first: Array<Header | undefined>;
  /** Where the value of each first field starts in `text`, or -1. */
  readonly firstAt: number[];
  /** A single-valued kind seen twice, or KIND_OTHER. */
  duplicate: number;
  /** Every Content-Length value, in order. */
  readonly contentLengths: string[];
  /** Every Contact field, and where its value starts in `text` (or -1). */
  readonly contacts: Header[];
  readonly contactsAt: number[];
  /** Every Via field, and where its value starts in `text` (or -1). */
  readonly vias: Header[];
  readonly viasAt: number[];
}

export function emptyIndex(text: string): HeaderIndex {
  const u = undefined;
  return {
    text,
    first: [u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u],
    firstAt: [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1],
    duplicate: KIND_OTHER,
    contentLengths: [],
    contacts: [],
    contactsAt: [],
    vias: [],
    viasAt: [],
  };
}

/** Records one field in the index; `at` is where its value starts in the index's text, or -1. */
export function addToIndex(index: HeaderIndex, field: Header, kind: number, at: number): void {
  if (kind === KIND_OTHER) return;
  if (index.first[kind] === undefined) {
    index.first[kind] = field;
    index.firstAt[kind] = at;
  } else if (isSingleValuedKind(kind) && index.duplicate === KIND_OTHER) index.duplicate = kind;
  if (kind === KIND_VIA) {
    index.vias.push(field);
    index.viasAt.push(at);
  } else if (kind === KIND_CONTACT) {
    index.contacts.push(field);
    index.contactsAt.push(at);
  } else if (kind === KIND_CONTENT_LENGTH) index.contentLengths.push(field.value);
}

export function indexHeaders(headers: readonly Header[]): HeaderIndex {
  const index = emptyIndex('');
  for (const field of headers) addToIndex(index, field, headerKind(field.name), -1);
  return index;
}
