/**
 * RFC 3261 §7 message parser: start line, header fields (folding undone,
 * compact forms and unknown headers kept as written), body framed by
 * Content-Length (§18.3), then strict validation (`validate.ts`).
 *
 * `parseMessage` never throws: every failure becomes `{ ok: false }` with a
 * precise reason, the status a UAS should answer with (400, 505 or 513) and,
 * when Via/From/To/Call-ID/CSeq are usable, the partially parsed message so
 * the UAS can still answer. Input size and header count are bounded.
 */
import { SipSyntaxError } from './errors.ts';
import { parseNumber } from './accessors.ts';
import { cacheOf, type WireStartLine } from './message-cache.ts';
import type { Header, ParseResult, SipMessage, SipParseError, SipRequest, SipResponse } from './types.ts';
import { badRequest, isAnswerable, validateIndexed } from './validate.ts';
import { isAscii } from 'node:buffer';
import { type Head, parseHead } from './header-section.ts';
import { parseStartLine, type StartLine } from './start-line.ts';

export interface ParseOptions {
  /** Whole message (start line to end of body). Default 65535 (largest UDP payload). */
  readonly maxMessageBytes?: number;
  /** Header fields (after folding). Default 256. */
  readonly maxHeaders?: number;
  /** Start line plus header section. Default 16384. */
  readonly maxHeaderBytes?: number;
  /** RFC 3261 §18.3: `datagram` (default) frames the body by the datagram; `stream` requires Content-Length. */
  readonly transport?: 'datagram' | 'stream';
}

export const DEFAULT_MAX_MESSAGE_BYTES = 65535;
export const DEFAULT_MAX_HEADERS = 256;
export const DEFAULT_MAX_HEADER_BYTES = 16384;

/** Largest Content-Length value accepted before any size limit applies. */
const MAX_CONTENT_LENGTH = 2 ** 31 - 1;

const CRLFCRLF = Buffer.from('\r\n\r\n');
const LFLF = Buffer.from('\n\n');
/** Placeholder body of a message still being framed (zero bytes: nothing can be written into it). */
const EMPTY_BODY = Buffer.alloc(0);

export function parseMessage(data: Buffer, options: ParseOptions = {}): ParseResult {
  try {
    return parseUnchecked(data, options);
  } catch (error: unknown) {
    // Defence in depth: nothing from the wire may escape as an exception.
    const detail = error instanceof SipSyntaxError ? error.message : 'internal parser error';
    return { ok: false, error: badRequest(detail) };
  }
}

function failure(error: SipParseError, partial?: SipMessage): ParseResult {
  return partial === undefined ? { ok: false, error } : { ok: false, error, partial };
}

/** Keeps the partial message only when a UAS could answer it (RFC 3261 §8.2.6). */
function failureWith(error: SipParseError, message: SipMessage | undefined): ParseResult {
  return failure(error, message !== undefined && isAnswerable(message) ? message : undefined);
}

function parseUnchecked(data: Buffer, options: ParseOptions): ParseResult {
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const maxHeaders = options.maxHeaders ?? DEFAULT_MAX_HEADERS;
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const stream = options.transport === 'stream';

  /** RFC 3261 §7.5: CRLFs before the start line are ignored. */
  let start = 0;
  while (start < data.length && (data[start] === 0x0d || data[start] === 0x0a)) start++;
  if (start === data.length) return failure(badRequest('empty message'));

  // Only the first maxHeaderBytes (+ terminator) are searched for the end of the header section.
  const searchLimit = Math.min(data.length, start + maxHeaderBytes + 4);
  const section = locateHead(data, start, searchLimit, maxHeaders);
  if (section === undefined) {
    if (data.length - start > maxHeaderBytes) return failure(tooLarge(`header section exceeds ${maxHeaderBytes} bytes`));
    return failure(badRequest('header section not terminated by an empty line'));
  }
  const ascii = section.ascii;
  let { text, textEnd, headerEnd, bodyStart } = section;
  if (headerEnd - start > maxHeaderBytes) return failure(tooLarge(`header section exceeds ${maxHeaderBytes} bytes`));
  let head = section.head ?? parseHead(text, textEnd, maxHeaders);
  if ('emptyLineAt' in head) {
    // An empty line before the CRLF CRLF found: the section used bare LFs and ended there.
    const lfEnd = ascii ? start + text.indexOf('\n\n') : data.subarray(0, searchLimit).indexOf(LFLF, start);
    if (lfEnd < start || lfEnd >= headerEnd) return failure(badRequest('empty line inside the header section'));
    headerEnd = lfEnd;
    bodyStart = lfEnd + 2;
    if (!ascii) text = data.toString('utf8', start, headerEnd);
    textEnd = ascii ? headerEnd - start : text.length;
    head = parseHead(text, textEnd, maxHeaders);
    if ('emptyLineAt' in head) return failure(badRequest('empty line inside the header section'));
  }
  // Only open mode reports NOT_CANONICAL; this narrows the type.
  if ('notCanonical' in head) return failure(badRequest('internal parser error'));
  if ('error' in head) return failure(head.error);
  const { headers, index } = head;
  const contentLengthValues = index.contentLengths;

  const startLine = parseStartLine(text, head.startLine.length);
  if ('error' in startLine) {
    if (startLine.message === undefined) return failure(startLine.error);
    return failureWith(startLine.error, buildMessage(startLine.message, headers, EMPTY_BODY));
  }
  const message = buildMessage(startLine, headers, EMPTY_BODY);

  // RFC 3261 §18.3 / §20.14: framing by Content-Length.
  let contentLength: number | undefined;
  if (contentLengthValues.length > 1) {
    return failureWith(badRequest('Content-Length header appears more than once', 'Content-Length'), message);
  }
  if (contentLengthValues.length === 1) {
    try {
      contentLength = parseNumber(contentLengthValues[0] as string, 'Content-Length', MAX_CONTENT_LENGTH);
    } catch (error: unknown) {
      const detail = error instanceof SipSyntaxError ? error.message : 'malformed Content-Length';
      return failureWith(badRequest(detail, 'Content-Length'), message);
    }
  } else if (stream) {
    return failureWith(badRequest('missing Content-Length (mandatory on stream transports, RFC 3261 §18.3)', 'Content-Length'), message);
  }
  const available = data.length - bodyStart;
  const bodyLength = contentLength ?? available;
  if (bodyStart - start + bodyLength > maxMessageBytes) {
    return failureWith(tooLarge(`message exceeds ${maxMessageBytes} bytes`), message);
  }
  if (bodyLength > available) {
    return failureWith(badRequest(`Content-Length ${bodyLength} exceeds the ${available} body bytes received`, 'Content-Length'), message);
  }
  /** RFC 3261 §18.3: octets beyond Content-Length in a datagram are discarded. */
  message.body = data.subarray(bodyStart, bodyStart + bodyLength);

  const problem = validateIndexed(message, index);
  if (problem !== undefined) return failureWith(problem, message);
  // The serializer may copy these bytes back while nothing serialized changes (see serializer.ts).
  const wireStart = wireStartLine(startLine);
  if (wireStart !== undefined && head.canonical && bodyStart === headerEnd + 4 && contentLengthValues.length === 1 && (ascii || text.indexOf('\uFFFD', 0) < 0)) {
    const cache = cacheOf(message);
    if (cache !== undefined) {
      const written = contentLengthValues[0] as string;
      cache.image = { headers, fields: headers.slice(), start: wireStart, data, headStart: start, headEnd: bodyStart, bodyLength: isPlainNumber(written) ? bodyLength : -1 };
    }
  }
  return { ok: true, message };
}

/** Where the header section starts and ends: `text` holds its characters from `start`, the section is text[0, textEnd). */
interface HeadBounds {
  readonly text: string;
  readonly textEnd: number;
  /** Byte offset in `data` of the end of the section. */
  readonly headerEnd: number;
  /** Byte offset of the body in `data`. */
  readonly bodyStart: number;
  /** Every byte searched was ASCII: `text` maps one character to one byte, and holds no U+FFFD. */
  readonly ascii: boolean;
  /** The section already parsed (canonical ASCII sections are parsed while their end is found). */
  readonly head: Head | undefined;
}

/**
 * RFC 3261 §7: the header section ends at the first empty line (CRLF CRLF, or
 * LF LF for bare-LF senders), searched in data[start, limit). ASCII bytes (the
 * usual case) are read once as latin1, one character per byte: a canonical
 * section is parsed line by line up to its empty line, any other is searched
 * as a string. Other bytes are searched as bytes and the section decoded as UTF-8.
 */
function locateHead(data: Buffer, start: number, limit: number, maxHeaders: number): HeadBounds | undefined {
  if (isAscii(start === 0 && limit === data.length ? data : data.subarray(start, limit))) {
    const text = data.toString('latin1', start, limit);
    const open = parseHead(text, text.length, maxHeaders, true);
    if ('end' in open) return { text, textEnd: open.end, headerEnd: start + open.end, bodyStart: start + open.end + 4, ascii: true, head: open };
    let textEnd = text.indexOf('\r\n\r\n');
    let bodyStart = start + textEnd + 4;
    if (textEnd < 0) {
      textEnd = text.indexOf('\n\n');
      bodyStart = start + textEnd + 2;
    }
    return textEnd < 0 ? undefined : { text, textEnd, headerEnd: start + textEnd, bodyStart, ascii: true, head: undefined };
  }
  const region = limit < data.length ? data.subarray(0, limit) : data;
  let headerEnd = region.indexOf(CRLFCRLF, start);
  let bodyStart = headerEnd + 4;
  if (headerEnd < 0) {
    // Bare-LF line endings (tolerated): the header section ends at the first empty line.
    headerEnd = region.indexOf(LFLF, start);
    bodyStart = headerEnd + 2;
  }
  if (headerEnd < 0) return undefined;
  const text = data.toString('utf8', start, headerEnd);
  return { text, textEnd: text.length, headerEnd, bodyStart, ascii: false, head: undefined };
}

/**
 * True when a Content-Length value that parsed as a number is written exactly
 * as `String(number)`: its ends are digits (so nothing was trimmed) and it has
 * no leading zero.
 */
function isPlainNumber(value: string): boolean {
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  return (value.length === 1 || first !== 0x30) && first >= 0x30 && first <= 0x39 && last >= 0x30 && last <= 0x39;
}

function tooLarge(detail: string): SipParseError {
  return { status: 513, reason: `Message Too Large (${detail})` };
}

/** The start line's parts for the wire image, when it was laid out exactly as the serializer writes it. */
function wireStartLine(line: StartLine): WireStartLine | undefined {
  if (line.kind === 'request') {
    return line.wireUri === undefined ? undefined : { kind: 'request', method: line.method, uri: line.wireUri, version: line.version };
  }
  return line.plain ? { kind: 'response', version: line.version, status: line.status, reason: line.reason } : undefined;
}

function buildMessage(startLine: StartLine, headers: Header[], body: Buffer): SipMessage {
  if (startLine.kind === 'request') {
    const request: SipRequest = { kind: 'request', method: startLine.method, uri: startLine.uri, version: startLine.version, headers, body };
    return request;
  }
  const response: SipResponse = { kind: 'response', status: startLine.status, reason: startLine.reason, version: startLine.version, headers, body };
  return response;
}
