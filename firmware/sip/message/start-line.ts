/**
 * RFC 3261 §7.1 Request-Line and §7.2 Status-Line, read in place at the start
 * of the header section text (positions, no splitting), the Request-URI
 * parsed where it lies.
 */
import { isTokenChar } from './char-classes.ts';
import { SipSyntaxError } from './errors.ts';
import { methodName } from './param-names.ts';
import { isSpaceOrTab as isSpace, quotedExcerpt as excerpt, startsWithAt } from './scan.ts';
import type { SipParseError, Uri } from './types.ts';
import { parseUriAt } from './uri.ts';
import { badRequest } from './validate.ts';

/**
 * `wireUri` is the Request-URI as received when the line is laid out exactly
 * as the serializer writes one (`method SP uri SP SIP/2.0`, `SIP/2.0 SP code
 * SP reason`); `plain` says the same for a Status-Line. The serializer may then
 * reuse the received bytes (see `WireImage`).
 */
export type StartLine =
  | { readonly kind: 'request'; readonly method: string; readonly uri: Uri; readonly version: string; readonly wireUri: string | undefined }
  | { readonly kind: 'response'; readonly status: number; readonly reason: string; readonly version: string; readonly plain: boolean };

export type StartLineResult = StartLine | { readonly error: SipParseError; readonly message: StartLine | undefined };

const SIP_2_0 = 'SIP/2.0';

/** The start line text[0, end) (without its line ending, holding no CR or LF). */
export function parseStartLine(text: string, end: number): StartLineResult {
  if (end >= 4 && (text.charCodeAt(0) & 0xdf) === 0x53 && (text.charCodeAt(1) & 0xdf) === 0x49 && (text.charCodeAt(2) & 0xdf) === 0x50 && text.charCodeAt(3) === 0x2f) {
    return parseStatusLine(text, end);
  }
  return parseRequestLine(text, end);
}

/** SIP-Version text[start, end) = "SIP" "/" 1*DIGIT "." 1*DIGIT; anything but 2.0 is answered with 505 (RFC 3261 §21.5.6). */
function checkVersion(text: string, start: number, end: number): SipParseError | undefined {
  if (end - start === 7 && startsWithAt(text, start, SIP_2_0)) return undefined;
  const version = text.slice(start, end);
  const upper = version.toUpperCase();
  if (upper === SIP_2_0) return undefined;
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
function parseRequestLine(text: string, lineEnd: number): StartLineResult {
  let end = lineEnd;
  while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
  const firstSpace = text.indexOf(' ');
  if (firstSpace <= 0 || firstSpace >= end) return malformedRequestLine();
  let uriStart = firstSpace + 1;
  while (uriStart < end && text.charCodeAt(uriStart) === 0x20) uriStart++;
  const uriEnd = text.indexOf(' ', uriStart);
  if (uriEnd < 0 || uriEnd >= end) return malformedRequestLine();
  let versionStart = uriEnd + 1;
  while (versionStart < end && text.charCodeAt(versionStart) === 0x20) versionStart++;
  const spaceInVersion = text.indexOf(' ', versionStart);
  if (versionStart >= end || (spaceInVersion >= 0 && spaceInVersion < end)) return malformedRequestLine();
  for (let i = 0; i < firstSpace; i++) {
    if (!isTokenChar(text.charCodeAt(i))) return { error: badRequest('malformed method in Request-Line'), message: undefined };
  }
  const method = methodName(text, 0, firstSpace);
  let uri: Uri;
  let uriError: SipParseError | undefined;
  try {
    uri = parseUriAt(text, uriStart, uriEnd);
  } catch (error: unknown) {
    const detail = error instanceof SipSyntaxError ? error.anchoredTo(uriStart, uriEnd).message : 'malformed Request-URI';
    uriError = badRequest(`Request-URI: ${detail}`);
    uri = { scheme: 'other', otherScheme: '', text: text.slice(uriStart, uriEnd) };
  }
  const versionError = checkVersion(text, versionStart, end);
  const plain = uriStart === firstSpace + 1 && versionStart === uriEnd + 1 && end === lineEnd && end - versionStart === 7 && startsWithAt(text, versionStart, SIP_2_0);
  const wireUri = plain ? text.slice(uriStart, uriEnd) : undefined;
  const startLine: StartLine = { kind: 'request', method, uri, version: versionError === undefined ? SIP_2_0 : text.slice(versionStart, end), wireUri };
  const error = versionError ?? uriError;
  return error === undefined ? startLine : { error, message: startLine };
}

function malformedRequestLine(): StartLineResult {
  return { error: badRequest('malformed Request-Line'), message: undefined };
}

/** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase; the reason may be empty (RFC 4475 §3.1.1.13). */
function parseStatusLine(text: string, end: number): StartLineResult {
  const firstSpace = text.indexOf(' ');
  if (firstSpace < 0 || firstSpace >= end) return { error: badRequest('malformed Status-Line'), message: undefined };
  let codeEnd = text.indexOf(' ', firstSpace + 1);
  if (codeEnd < 0 || codeEnd > end) codeEnd = end;
  /** RFC 3261 §7.2 / RFC 4475 §3.1.2.19: Status-Code is exactly three digits, 100..699. */
  const status = codeEnd - firstSpace === 4 ? threeDigits(text, firstSpace + 1) : -1;
  if (status < 100 || status > 699) {
    return { error: badRequest(`malformed Status-Code ${excerpt(text.slice(firstSpace + 1, codeEnd))}`), message: undefined };
  }
  const reason = codeEnd < end ? text.slice(codeEnd + 1, end) : '';
  const versionError = checkVersion(text, 0, firstSpace);
  const plain = firstSpace === 7 && startsWithAt(text, 0, SIP_2_0) && codeEnd < end;
  const startLine: StartLine = { kind: 'response', status, reason, version: versionError === undefined ? SIP_2_0 : text.slice(0, firstSpace), plain };
  return versionError === undefined ? startLine : { error: versionError, message: startLine };
}

/** The number written by the three digits at text[start], or -1. */
function threeDigits(text: string, start: number): number {
  let value = 0;
  for (let i = start; i < start + 3; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return -1;
    value = value * 10 + (code - 0x30);
  }
  return value;
}
