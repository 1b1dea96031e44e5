/**
 * URI parsing, formatting and comparison: RFC 3261 §19.1 (sip/sips), RFC 5118
 * (IPv6 references), RFC 3966 (tel), anything else kept verbatim as `OtherUri`.
 * Hand-written scanners only; every table is a `Map`.
 */
import {
  ALPHANUM,
  DIGIT,
  HNV_UNRESERVED,
  isChar,
  PARAM_UNRESERVED,
  PASSWORD_UNRESERVED,
  PHONEDIGIT_HEX,
  SCHEME,
  UNRESERVED,
  USER_UNRESERVED,
} from './char-classes.ts';
import { SipSyntaxError } from './errors.ts';
import { scanHostEnd, scanPort } from './host.ts';
import { paramName } from './param-names.ts';
import { lowerSlice } from './scan.ts';
import { escapePercent, isEscapeAt, unescapePercent } from './percent-encoding.ts';
import type { OtherUri, Params, SipUri, TelUri, Uri } from './types.ts';

export { uriEquals } from './uri-equals.ts';

/** Longest URI accepted (a bound on work per URI; real URIs are far shorter). */
const MAX_URI_CHARS = 8192;

/**
 * Parses a URI. Throws `SipSyntaxError` when a sip/sips/tel URI does not match
 * its grammar or when the text is not an absolute URI at all.
 */
export function parseUri(text: string): Uri {
  return scanUri(text, 0, text.length, true) as Uri;
}

/**
 * Parses the URI text[start, end) in place, as `parseUri(text.slice(start,
 * end))` would. Throws `SipSyntaxError` with positions in `text` (see
 * `SipSyntaxError.anchoredTo`).
 */
export function parseUriAt(text: string, start: number, end: number): Uri {
  return scanUri(text, start, end, true) as Uri;
}

/** Checks the URI syntax exactly as `parseUri` does, building nothing. Throws `SipSyntaxError`. */
export function checkUri(text: string): void {
  scanUri(text, 0, text.length, false);
}

/**
 * Checks the URI text[start, end) in place, exactly as `parseUri` would check
 * `text.slice(start, end)`. Throws `SipSyntaxError` with positions in `text`
 * (see `SipSyntaxError.anchoredTo`).
 */
export function checkUriAt(text: string, start: number, end: number): void {
  scanUri(text, start, end, false);
}

function scanUri(text: string, start: number, end: number, build: boolean): Uri | undefined {
  if (end - start > MAX_URI_CHARS) throw new SipSyntaxError({ what: 'URI', problem: 'URI too long' });
  // The common scheme first, before scanning or lower-casing anything: "sip:" in any case.
  if (
    end - start > 3 &&
    (text.charCodeAt(start) | 0x20) === 0x73 &&
    (text.charCodeAt(start + 1) | 0x20) === 0x69 &&
    (text.charCodeAt(start + 2) | 0x20) === 0x70 &&
    text.charCodeAt(start + 3) === 0x3a
  ) {
    return parseSipUri(text, 'sip', start + 4, end, build);
  }
  const colon = scanScheme(text, start, end);
  const scheme = lowerSlice(text, start, colon);
  if (scheme === 'sips') return parseSipUri(text, 'sips', colon + 1, end, build);
  if (scheme === 'tel') return parseTelUri(text, colon + 1, end);
  return parseOtherUri(text, start, scheme, colon + 1, end);
}

/** RFC 3986 §3.1 scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ); returns the index of the ':'. */
function scanScheme(text: string, start: number, end: number): number {
  const first = start < end ? text.charCodeAt(start) : -1;
  if (!(isChar(first, ALPHANUM) && !isChar(first, DIGIT))) {
    throw new SipSyntaxError({ what: 'URI', problem: 'expected a scheme', text, offset: start });
  }
  let i = start + 1;
  while (i < end && isChar(text.charCodeAt(i), SCHEME)) i++;
  if (i >= end || text.charCodeAt(i) !== 0x3a /* : */) {
    throw new SipSyntaxError({ what: 'URI', problem: 'expected ":" after the scheme', text, offset: i });
  }
  return i;
}

/** Scans 1*(allowed / escaped) from `start` in text[.., end); returns the end index (== start when nothing matched). */
function scanEscaped(text: string, start: number, end: number, allowed: number, what: string): number {
  let i = start;
  while (i < end) {
    const code = text.charCodeAt(i);
    // No class passed here holds "%": test the class first, the escape second.
    if (isChar(code, allowed)) i++;
    else if (code === 0x25 /* % */) {
      if (!isEscapeAt(text, i, end)) throw new SipSyntaxError({ what, problem: 'invalid %-escape', text, offset: i });
      i += 3;
    } else break;
  }
  return i;
}

/** Unescaped, then lower-cased (so `%4C` becomes `l`). */
function unescapedLower(text: string, start: number, end: number): string {
  const raw = paramName(text, start, end);
  return raw.indexOf('%') < 0 ? raw : unescapePercent(raw).toLowerCase();
}

/** The character at `i` when inside text[.., end), else -1. */
function charAt(text: string, i: number, end: number): number {
  return i < end ? text.charCodeAt(i) : -1;
}

/** RFC 3261 §19.1.1: sip:user:password@host:port;uri-parameters?headers (text[start, end) after the colon). */
function parseSipUri(text: string, scheme: 'sip' | 'sips', start: number, end: number, build: boolean): SipUri | undefined {
  const what = scheme === 'sip' ? 'SIP URI' : 'SIPS URI';
  let user: string | null = null;
  let password: string | null = null;
  let i = start;
  // The first "@" ends the userinfo: "@" is never allowed unescaped in user or password.
  const at = text.indexOf('@', start);
  if (at >= 0 && at < end) {
    const userEnd = scanEscaped(text, start, end, UNRESERVED | USER_UNRESERVED, what);
    if (userEnd === start) throw new SipSyntaxError({ what, problem: 'empty user part', text, offset: start });
    if (build) user = unescapePercent(text.slice(start, userEnd));
    i = userEnd;
    if (charAt(text, i, end) === 0x3a /* : */) {
      const passwordEnd = scanEscaped(text, i + 1, end, UNRESERVED | PASSWORD_UNRESERVED, what);
      if (build) password = unescapePercent(text.slice(i + 1, passwordEnd));
      i = passwordEnd;
    }
    if (i !== at) throw new SipSyntaxError({ what, problem: 'invalid character in user part', text, offset: i });
    i = at + 1;
  }
  const hostStart = i;
  i = scanHostEnd(text, i, end, what);
  const hostEnd = i;
  let port: number | null = null;
  if (charAt(text, i, end) === 0x3a /* : */) {
    const portScan = scanPort(text, i + 1, end, what);
    port = portScan.port;
    i = portScan.end;
  }
  const params: Params | null = build ? new Map() : null;
  while (charAt(text, i, end) === 0x3b /* ; */) {
    const nameEnd = scanEscaped(text, i + 1, end, UNRESERVED | PARAM_UNRESERVED, what);
    if (nameEnd === i + 1) throw new SipSyntaxError({ what, problem: 'empty parameter name', text, offset: i + 1 });
    let value: string | null = null;
    const nameStart = i + 1;
    i = nameEnd;
    if (charAt(text, i, end) === 0x3d /* = */) {
      const valueEnd = scanEscaped(text, i + 1, end, UNRESERVED | PARAM_UNRESERVED, what);
      if (valueEnd === i + 1) throw new SipSyntaxError({ what, problem: 'empty parameter value', text, offset: i + 1 });
      if (build) value = unescapePercent(text.slice(i + 1, valueEnd));
      i = valueEnd;
    }
    if (params !== null) {
      // A repeated parameter keeps its first value.
      const name = unescapedLower(text, nameStart, nameEnd);
      if (!params.has(name)) params.set(name, value);
    }
  }
  const headers: Map<string, string> | null = build ? new Map() : null;
  if (charAt(text, i, end) === 0x3f /* ? */) {
    do {
      const nameEnd = scanEscaped(text, i + 1, end, UNRESERVED | HNV_UNRESERVED, what);
      if (nameEnd === i + 1) throw new SipSyntaxError({ what, problem: 'empty header name', text, offset: i + 1 });
      if (charAt(text, nameEnd, end) !== 0x3d /* = */) {
        throw new SipSyntaxError({ what, problem: 'expected "=" in URI header', text, offset: nameEnd });
      }
      const valueEnd = scanEscaped(text, nameEnd + 1, end, UNRESERVED | HNV_UNRESERVED, what);
      if (headers !== null) {
        const name = unescapePercent(text.slice(i + 1, nameEnd));
        if (!headers.has(name)) headers.set(name, unescapePercent(text.slice(nameEnd + 1, valueEnd)));
      }
      i = valueEnd;
    } while (charAt(text, i, end) === 0x26 /* & */);
  }
  if (i !== end) throw new SipSyntaxError({ what, problem: 'unexpected character', text, offset: i });
  if (params === null || headers === null) return undefined;
  return { scheme, user, password, host: lowerSlice(text, hostStart, hostEnd), port, params, headers };
}

/**
 * RFC 3966 §3: tel:global-number / local-number, then parameters (text[start,
 * end) after the colon). Visual separators are kept in `number`.
 */
function parseTelUri(text: string, start: number, end: number): TelUri {
  const what = 'tel URI';
  let i = start;
  const global = charAt(text, i, end) === 0x2b; /* + */
  if (global) i++;
  let digits = 0;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (global ? isChar(code, DIGIT) || code === 0x2d || code === 0x2e || code === 0x28 || code === 0x29 : isChar(code, PHONEDIGIT_HEX)) {
      if (code !== 0x2d && code !== 0x2e && code !== 0x28 && code !== 0x29) digits++;
      i++;
    } else break;
  }
  if (digits === 0) throw new SipSyntaxError({ what, problem: 'expected a telephone number', text, offset: start });
  const number = text.slice(start, i);
  const params: Params = new Map();
  while (charAt(text, i, end) === 0x3b /* ; */) {
    let nameEnd = i + 1;
    while (nameEnd < end && (isChar(text.charCodeAt(nameEnd), ALPHANUM) || text.charCodeAt(nameEnd) === 0x2d)) nameEnd++;
    if (nameEnd === i + 1) throw new SipSyntaxError({ what, problem: 'empty parameter name', text, offset: i + 1 });
    const name = lowerSlice(text, i + 1, nameEnd);
    let value: string | null = null;
    i = nameEnd;
    if (charAt(text, i, end) === 0x3d /* = */) {
      const valueEnd = scanEscaped(text, i + 1, end, UNRESERVED | PARAM_UNRESERVED, what);
      if (valueEnd === i + 1) throw new SipSyntaxError({ what, problem: `empty value for parameter "${name}"`, text, offset: i + 1 });
      value = unescapePercent(text.slice(i + 1, valueEnd));
      i = valueEnd;
    }
    if (!params.has(name)) params.set(name, value);
  }
  if (i !== end) throw new SipSyntaxError({ what, problem: 'unexpected character', text, offset: i });
  return { scheme: 'tel', number, params };
}

/**
 * RFC 3261 §19.1 / RFC 3986: every other absolute URI (text[uriStart, end)) is
 * kept as written (the application answers 416 if it cannot use it, RFC 3261
 * §8.2.2.1). Only characters that can never appear in a URI (controls, space,
 * `<>"`, non-ASCII) are refused; `start` is just after the scheme's colon.
 */
function parseOtherUri(text: string, uriStart: number, scheme: string, start: number, end: number): OtherUri {
  if (start >= end) throw new SipSyntaxError({ what: 'URI', problem: 'empty URI after the scheme', text, offset: start });
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || code >= 0x7f || code === 0x3c || code === 0x3e || code === 0x22) {
      throw new SipSyntaxError({ what: 'URI', problem: 'invalid character', text, offset: i });
    }
  }
  return { scheme: 'other', otherScheme: scheme, text: text.slice(uriStart, end) };
}

/** Formats a URI; user, password, parameters and headers are %-escaped where their grammar requires. */
export function formatUri(uri: Uri): string {
  if (uri.scheme === 'other') return uri.text;
  if (uri.scheme === 'tel') return `tel:${uri.number}${formatUriParams(uri.params)}`;
  let out = `${uri.scheme}:`;
  if (uri.user !== null) {
    out += escapePercent(uri.user, UNRESERVED | USER_UNRESERVED);
    if (uri.password !== null) out += `:${escapePercent(uri.password, UNRESERVED | PASSWORD_UNRESERVED)}`;
    out += '@';
  }
  out += uri.host;
  if (uri.port !== null) out += `:${uri.port}`;
  if (uri.params.size > 0) out += formatUriParams(uri.params);
  if (uri.headers.size === 0) return out;
  let separator = '?';
  for (const [name, value] of uri.headers) {
    out += `${separator}${escapePercent(name, UNRESERVED | HNV_UNRESERVED)}=${escapePercent(value, UNRESERVED | HNV_UNRESERVED)}`;
    separator = '&';
  }
  return out;
}

function formatUriParams(params: Params): string {
  let out = '';
  for (const [name, value] of params) {
    out += `;${escapePercent(name, UNRESERVED | PARAM_UNRESERVED)}`;
    if (value !== null) out += `=${escapePercent(value, UNRESERVED | PARAM_UNRESERVED)}`;
  }
  return out;
}
