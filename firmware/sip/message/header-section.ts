/**
 * RFC 3261 §7.3: splits a header section (start line through the last field,
 * without the empty line) into the start line and header fields, folding
 * undone (§7.3.1), names kept as written, and indexes the fields by kind.
 *
 * Each line is first tried as the usual `name: value` CRLF, found with native
 * string searches only (a character loop in JavaScript costs more); any other form (white space around the colon, folding,
 * bare LF, bare CR, a bad name) is read by the general path, which also says
 * what is wrong.
 */
import { isTokenChar } from './char-classes.ts';
import { addToIndex, emptyIndex, headerKindAt, KIND_NAMES, KIND_OTHER, type HeaderIndex } from './header-index.ts';
import { usualKind, usualName, usualNameAt } from './header-names.ts';
import { isSpaceOrTab as isSpace, quotedExcerpt as excerpt, startsWithAt } from './scan.ts';
import type { Header, SipParseError } from './types.ts';
import { badRequest } from './validate.ts';

export interface Head {
  /** Where the section ends in the text: `length`, or in open mode the CRLF before the empty line. */
  readonly end: number;
  readonly startLine: string;
  readonly headers: Header[];
  readonly index: HeaderIndex;
  /** Every field line is exactly `name: value` CRLF (no folding, no extra white space): the wire image is reusable. */
  readonly canonical: boolean;
}

/** The usual spelling of each kind's name (KIND_NAMES) and compact letters: reused instead of slicing. */
const COMPACT_NAMES: readonly string[] = ['v', 'f', 't', 'i', 'm', 'l', 'c', 'x'];

/** The name text[start, end) of a field of `kind`, as a shared constant when spelled the usual way. */
function fieldName(text: string, start: number, end: number, kind: number): string {
  if (kind !== KIND_OTHER) {
    const usual = KIND_NAMES[kind] as string;
    if (usual.length === end - start && startsWithAt(text, start, usual)) return usual;
    if (end - start === 1) {
      const code = text.charCodeAt(start);
      for (const letter of COMPACT_NAMES) if (code === letter.charCodeAt(0)) return letter;
    }
  }
  return text.slice(start, end);
}

/** One field read by the general path: where the next line starts and whether the line was canonical. */
interface GeneralField {
  readonly field: Header;
  /** Where the value starts in the text: always -1, the general path's values are checked on their own. */
  readonly at: number;
  readonly kind: number;
  readonly next: number;
  readonly canonical: boolean;
}

type LineResult = GeneralField | { readonly error: SipParseError } | { readonly emptyLineAt: number };

/** `parseHead` in open mode met something other than canonical lines: find the end of the section first. */
export const NOT_CANONICAL = { notCanonical: true } as const;

/**
 * Splits the header section text[0, length) into the start line and unfolded
 * header fields (RFC 3261 §7.3.1). Returns `{ emptyLineAt }` when an empty
 * line ends the section before `length` (bare-LF line endings).
 *
 * Open mode (`open`): the end of the section is not known yet, `length` only
 * bounds the search. Every line must then be canonical (`name: value` CRLF,
 * the start line ending in CRLF) up to an empty CRLF line, which ends the
 * section: the first CRLF CRLF, found without a separate search. Anything
 * else returns NOT_CANONICAL, and the caller finds the end and parses again.
 */
export function parseHead(
  text: string,
  length: number,
  maxHeaders: number,
  open = false,
): Head | { readonly error: SipParseError } | { readonly emptyLineAt: number } | typeof NOT_CANONICAL {
  const headers: Header[] = [];
  const index = emptyIndex(text);
  let lineEnd = text.indexOf('\n');
  if (lineEnd < 0 || lineEnd > length) lineEnd = length;
  const startLine = stripCr(text, 0, lineEnd);
  if (startLine.indexOf('\r') >= 0) return open ? NOT_CANONICAL : { error: badRequest('bare CR in the start line') };
  let canonical = lineEnd > 0 && text.charCodeAt(lineEnd - 1) === 0x0d;
  if (open && (!canonical || lineEnd === length)) return NOT_CANONICAL;
  let pos = lineEnd + 1;
  while (pos < length) {
    if (open && text.charCodeAt(pos) === 0x0d && text.charCodeAt(pos + 1) === 0x0a) {
      // The empty line: every line before it was canonical, so this is the first CRLF CRLF.
      return { end: pos - 2, startLine, headers, index, canonical };
    }
    // Fast path: name ":" SP value CRLF, the value not empty, not starting or ending with
    // white space, holding no CR, and no continuation line after it. Native searches only.
    let end = text.indexOf('\n', pos);
    if (end < 0 || end > length) end = length;
    const colon = text.indexOf(':', pos);
    const valueEnd = end < length ? end - 1 : end;
    if (
      colon > pos &&
      colon + 2 < valueEnd &&
      text.charCodeAt(colon + 1) === 0x20 &&
      !isSpace(text.charCodeAt(colon - 1)) &&
      !isSpace(text.charCodeAt(colon + 2)) &&
      !isSpace(text.charCodeAt(valueEnd - 1)) &&
      (end === length || (text.charCodeAt(valueEnd) === 0x0d && !isSpace(text.charCodeAt(end + 1)))) &&
      /** RFC 3261 §25.1: CR appears only in the CRLF ending a line (quoted-pair excludes it too). */
      (end === length ? !hasCr(text, pos, length) : text.indexOf('\r', pos) === valueEnd)
    ) {
      const usual = usualNameAt(text, pos, colon);
      const kind = usual >= 0 ? usualKind(usual) : headerKindAt(text, pos, colon);
      if (usual >= 0 || kind !== KIND_OTHER || isTokenAt(text, pos, colon)) {
        if (headers.length >= maxHeaders) return open ? NOT_CANONICAL : tooManyFields(maxHeaders);
        const field: Header = { name: usual >= 0 ? usualName(usual) : fieldName(text, pos, colon, kind), value: text.slice(colon + 2, valueEnd) };
        headers.push(field);
        addToIndex(index, field, kind, colon + 2);
        pos = end + 1;
        if (open && end === length) return NOT_CANONICAL;
        continue;
      }
    }
    if (open) return NOT_CANONICAL;
    const line = generalField(text, pos, length);
    if (!('field' in line)) return line;
    if (headers.length >= maxHeaders) return tooManyFields(maxHeaders);
    headers.push(line.field);
    addToIndex(index, line.field, line.kind, line.at);
    if (!line.canonical) canonical = false;
    pos = line.next;
  }
  if (open) return NOT_CANONICAL;
  return { end: length, startLine, headers, index, canonical };
}

/** True when text[start, end) is all token characters (a header name). */
function isTokenAt(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isTokenChar(text.charCodeAt(i))) return false;
  return true;
}

function tooManyFields(maxHeaders: number): { readonly error: SipParseError } {
  return { error: { status: 513, reason: `Message Too Large (more than ${maxHeaders} header fields)` } };
}

/** Any header line at `pos`, with its continuation lines (RFC 3261 §7.3.1), or what is wrong with it. */
function generalField(text: string, pos: number, length: number): LineResult {
  let end = text.indexOf('\n', pos);
  if (end < 0 || end > length) end = length;
  // The last line has no line ending in `text`; the others end in LF, canonically CR LF.
  const crlf = end < length && text.charCodeAt(end - 1) === 0x0d;
  const contentEnd = crlf ? end - 1 : end;
  if (contentEnd === pos) return { emptyLineAt: pos };
  const first = text.charCodeAt(pos);
  if (first === 0x20 || first === 0x09) {
    return { error: badRequest('header section starts with a continuation line') };
  }
  const colon = text.indexOf(':', pos);
  if (colon < 0 || colon > end) return { error: badRequest(`header line without ":" (${excerpt(stripCr(text, pos, end))})`) };
  let nameEnd = colon;
  while (nameEnd > pos && isSpace(text.charCodeAt(nameEnd - 1))) nameEnd--;
  if (nameEnd === pos) return { error: badRequest('empty header name') };
  const kind = headerKindAt(text, pos, nameEnd);
  // Known kinds are made of letters and "-" only; anything else must be a token.
  if (kind === KIND_OTHER && !isTokenAt(text, pos, nameEnd)) return { error: badRequest(`invalid header name (${excerpt(text.slice(pos, nameEnd))})`) };
  const name = fieldName(text, pos, nameEnd, kind);
  let canonical = false;
  let value: string;
  if (text.charCodeAt(colon + 1) === 0x20 && colon + 2 < contentEnd && !isSpace(text.charCodeAt(colon + 2)) && !isSpace(text.charCodeAt(contentEnd - 1))) {
    value = text.slice(colon + 2, contentEnd);
    canonical = nameEnd === colon && (crlf || end === length);
  } else {
    value = trimmed(text, colon + 1, end);
  }
  // RFC 3261 §7.3.1: a line starting with white space continues the previous field.
  let next = end + 1;
  while (next < length && isSpace(text.charCodeAt(next))) {
    canonical = false;
    let continuationEnd = text.indexOf('\n', next);
    if (continuationEnd < 0 || continuationEnd > length) continuationEnd = length;
    const more = trimmed(text, next, continuationEnd);
    if (more.length > 0) value = value.length > 0 ? `${value} ${more}` : more;
    next = continuationEnd + 1;
  }
  /** RFC 3261 §25.1: CR appears only in the CRLF ending a line (quoted-pair excludes it too). */
  if (value.indexOf('\r') >= 0) return { error: badRequest(`bare CR in ${excerpt(name)} header`, name) };
  return { field: { name, value }, kind, at: -1, next, canonical };
}

/** True when text[start, end) holds a CR. */
function hasCr(text: string, start: number, end: number): boolean {
  const cr = text.indexOf('\r', start);
  return cr >= 0 && cr < end;
}

function stripCr(text: string, start: number, end: number): string {
  return text.slice(start, end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end);
}

/** text[start, end) without leading/trailing SP, HT and CR. */
function trimmed(text: string, start: number, end: number): string {
  let s = start;
  let e = end;
  while (s < e && (isSpace(text.charCodeAt(s)) || text.charCodeAt(s) === 0x0d)) s++;
  while (e > s && (isSpace(text.charCodeAt(e - 1)) || text.charCodeAt(e - 1) === 0x0d)) e--;
  return text.slice(s, e);
}
