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
import { isTokenChar } from './char-classes.ts';
import { SipSyntaxError } from './errors.ts';
import { parseNumber } from './accessors.ts';
import { cacheOf } from './message-cache.ts';
import type { Header, ParseResult, SipMessage, SipParseError, SipRequest, SipResponse, Uri } from './types.ts';
import { parseUri } from './uri.ts';
import { badRequest, isAnswerable, validateIndexed } from './validate.ts';
import { parseHead } from './header-section.ts';
import { isSpaceOrTab as isSpace, quotedExcerpt as excerpt } from './scan.ts';

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
  const searchLimit = start + maxHeaderBytes + 4;
  const region = data.length > searchLimit ? data.subarray(0, searchLimit) : data;
  let headerEnd = region.indexOf(CRLFCRLF, start);
  let bodyStart = headerEnd + 4;
  if (headerEnd < 0) {
    // Bare-LF line endings (tolerated): the header section ends at the first empty line.
    headerEnd = region.indexOf(LFLF, start);
    bodyStart = headerEnd + 2;
  }
  if (headerEnd < 0) {
    if (data.length - start > maxHeaderBytes) return failure(tooLarge(`header section exceeds ${maxHeaderBytes} bytes`));
    return failure(badRequest('header section not terminated by an empty line'));
  }
  if (headerEnd - start > maxHeaderBytes) return failure(tooLarge(`header section exceeds ${maxHeaderBytes} bytes`));
  let text = data.toString('utf8', start, headerEnd);
  let head = parseHead(text, maxHeaders);
  if ('emptyLineAt' in head) {
    // An empty line before the CRLF CRLF found: the section used bare LFs and ended there.
    const lfEnd = region.indexOf(LFLF, start);
    if (lfEnd < 0 || lfEnd >= headerEnd) return failure(badRequest('empty line inside the header section'));
    headerEnd = lfEnd;
    bodyStart = lfEnd + 2;
    text = data.toString('utf8', start, headerEnd);
    head = parseHead(text, maxHeaders);
    if ('emptyLineAt' in head) return failure(badRequest('empty line inside the header section'));
  }
  if ('error' in head) return failure(head.error);
  const { headers, index } = head;
  const contentLengthValues = index.contentLengths;

  const startLine = parseStartLine(head.startLine);
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
  if (head.canonical && bodyStart === headerEnd + 4 && contentLengthValues.length === 1 && text.indexOf('\uFFFD') < 0) {
    const cache = cacheOf(message);
    if (cache !== undefined) {
      cache.image = { headers, fields: headers.slice(), startLine: head.startLine, data, headStart: start, headEnd: bodyStart, contentLength: contentLengthValues[0] as string };
    }
  }
  return { ok: true, message };
}

function tooLarge(detail: string): SipParseError {
  return { status: 513, reason: `Message Too Large (${detail})` };
}

type StartLine =
  | { readonly kind: 'request'; readonly method: string; readonly uri: Uri; readonly version: string }
  | { readonly kind: 'response'; readonly status: number; readonly reason: string; readonly version: string };

type StartLineResult = StartLine | { readonly error: SipParseError; readonly message: StartLine | undefined };

/** RFC 3261 §7.1 Request-Line / §7.2 Status-Line. */
function parseStartLine(line: string): StartLineResult {
  if (line.length >= 4 && line.slice(0, 4).toUpperCase() === 'SIP/') return parseStatusLine(line);
  return parseRequestLine(line);
}

/** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; anything but 2.0 is answered with 505 (RFC 3261 §21.5.6). */
function checkVersion(version: string): SipParseError | undefined {
  if (version === 'SIP/2.0') return undefined;
  const upper = version.toUpperCase();
  if (upper === 'SIP/2.0') return undefined;
  const dot = upper.indexOf('.');
  const major = upper.slice(4, dot);
  const minor = upper.slice(dot + 1);
  if (!upper.startsWith('SIP/') || dot < 0 || !isDigits(major) || !isDigits(minor)) {
    return badRequest(`malformed SIP-Version ${excerpt(version)}`);
  }
  return { status: 505, reason: `Version Not Supported (${excerpt(version)})` };
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/**
 * Request-Line = Method SP Request-URI SP SIP-Version. Runs of SP and trailing
 * white space are tolerated (RFC 4475 §3.1.2.9-10); white space inside the
 * URI and a URI in angle brackets are not (§3.1.2.7-8).
 */
function parseRequestLine(line: string): StartLineResult {
  const parts = splitOnSpaces(line);
  if (parts === undefined) return { error: badRequest('malformed Request-Line'), message: undefined };
  const [method, uriText, version] = parts;
  for (let i = 0; i < method.length; i++) {
    if (!isTokenChar(method.charCodeAt(i))) return { error: badRequest('malformed method in Request-Line'), message: undefined };
  }
  let uri: Uri;
  let uriError: SipParseError | undefined;
  try {
    uri = parseUri(uriText);
  } catch (error: unknown) {
    const detail = error instanceof SipSyntaxError ? error.message : 'malformed Request-URI';
    uriError = badRequest(`Request-URI: ${detail}`);
    uri = { scheme: 'other', otherScheme: '', text: uriText };
  }
  const versionError = checkVersion(version);
  const startLine: StartLine = { kind: 'request', method, uri, version: versionError === undefined ? 'SIP/2.0' : version };
  const error = versionError ?? uriError;
  return error === undefined ? startLine : { error, message: startLine };
}

/** The three SP-separated parts of a Request-Line (runs of SP and trailing SP/HT tolerated), or undefined. */
function splitOnSpaces(line: string): [string, string, string] | undefined {
  let end = line.length;
  while (end > 0 && isSpace(line.charCodeAt(end - 1))) end--;
  const firstSpace = line.indexOf(' ');
  if (firstSpace <= 0 || firstSpace >= end) return undefined;
  let uriStart = firstSpace + 1;
  while (line.charCodeAt(uriStart) === 0x20) uriStart++;
  const uriEnd = line.indexOf(' ', uriStart);
  if (uriEnd < 0 || uriEnd >= end) return undefined;
  let versionStart = uriEnd + 1;
  while (line.charCodeAt(versionStart) === 0x20) versionStart++;
  const version = line.slice(versionStart, end);
  if (version.length === 0 || version.indexOf(' ') >= 0) return undefined;
  return [line.slice(0, firstSpace), line.slice(uriStart, uriEnd), version];
}

/** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase; the reason may be empty (RFC 4475 §3.1.1.13). */
function parseStatusLine(line: string): StartLineResult {
  const firstSpace = line.indexOf(' ');
  if (firstSpace < 0) return { error: badRequest('malformed Status-Line'), message: undefined };
  const version = line.slice(0, firstSpace);
  let codeEnd = line.indexOf(' ', firstSpace + 1);
  if (codeEnd < 0) codeEnd = line.length;
  const code = line.slice(firstSpace + 1, codeEnd);
  /** RFC 3261 §7.2 / RFC 4475 §3.1.2.19: Status-Code is exactly three digits, 100..699. */
  if (code.length !== 3 || !isDigits(code) || code < '100' || code > '699') {
    return { error: badRequest(`malformed Status-Code ${excerpt(code)}`), message: undefined };
  }
  const reason = codeEnd < line.length ? line.slice(codeEnd + 1) : '';
  const versionError = checkVersion(version);
  const startLine: StartLine = { kind: 'response', status: Number(code), reason, version: versionError === undefined ? 'SIP/2.0' : version };
  return versionError === undefined ? startLine : { error: versionError, message: startLine };
}

function buildMessage(startLine: StartLine, headers: Header[], body: Buffer): SipMessage {
  if (startLine.kind === 'request') {
    const request: SipRequest = { kind: 'request', method: startLine.method, uri: startLine.uri, version: startLine.version, headers, body };
    return request;
  }
  const response: SipResponse = { kind: 'response', status: startLine.status, reason: startLine.reason, version: startLine.version, headers, body };
  return response;
}
