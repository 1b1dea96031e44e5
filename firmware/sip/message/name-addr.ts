/**
 * RFC 3261 §20.10 / §25.1 `( name-addr / addr-spec ) *( SEMI generic-param )`
 * for From, To, Contact, Route, Record-Route, Reply-To...
 *
 * In the addr-spec form (no angle brackets) the URI ends at the first `;`,
 * `,` or white space and every parameter after it is a header parameter,
 * never a URI parameter (RFC 3261 §20.10, RFC 4475 §3.3.12).
 */
import { isChar, isLws, TOKEN } from './char-classes.ts';
import { SipSyntaxError } from './errors.ts';
import { formatParams, type ParamProbe, scanParams } from './params.ts';
import { quote, scanQuotedString, skipLws, unquote } from './scan.ts';
import type { NameAddr, Params, Uri } from './types.ts';
import { checkUriAt, formatUri, parseUri } from './uri.ts';

/** Parses one name-addr or addr-spec with its parameters. `what` names the header in errors. */
export function parseNameAddr(value: string, what = 'name-addr'): NameAddr {
  const out: NameAddr[] = [];
  const end = skipLws(value, scanNameAddr(value, 0, value.length, what, out, false), value.length);
  if (end !== value.length) throw new SipSyntaxError({ what, problem: 'unexpected character', text: value, offset: end });
  return out[0] as NameAddr;
}

/** Checks one name-addr or addr-spec exactly as `parseNameAddr` does, building nothing. */
export function checkNameAddr(value: string, what: string): void {
  const end = skipLws(value, scanNameAddr(value, 0, value.length, what, null, false), value.length);
  if (end !== value.length) throw new SipSyntaxError({ what, problem: 'unexpected character', text: value, offset: end });
}

/**
 * Checks the name-addr or addr-spec text[start, end) exactly as
 * `parseNameAddr` does and returns what `parseNameAddr(value).params.get(name)`
 * would (`name` in lower case), building nothing else: the From/To tag without
 * a URI or a Map. Throws SipSyntaxError (positions in `text`).
 */
export function checkNameAddrParam(text: string, start: number, end: number, what: string, name: string): string | null | undefined {
  const paramsStart = scanAddress(text, start, end, what, null, false);
  const probe: ParamProbe = { name, value: undefined };
  const last = skipLws(text, scanParams(text, paramsStart, end, what, null, undefined, probe), end);
  if (last !== end) throw new SipSyntaxError({ what, problem: 'unexpected character', text, offset: last });
  return probe.value;
}

/**
 * A comma list of name-addr/addr-spec values text[start, end) (Contact,
 * Route...) into `out`, or only checked when `out` is null. Empty elements
 * are skipped. Throws SipSyntaxError (positions in `text`).
 */
export function scanNameAddrList(text: string, start: number, end: number, what: string, out: NameAddr[] | null): void {
  let i = start;
  let count = 0;
  for (;;) {
    i = skipLws(text, i, end);
    while (i < end && text.charCodeAt(i) === 0x2c /* , */) i = skipLws(text, i + 1, end);
    if (i >= end) break;
    i = skipLws(text, scanNameAddr(text, i, end, what, out, true), end);
    count++;
    if (i >= end) break;
    if (text.charCodeAt(i) !== 0x2c) throw new SipSyntaxError({ what, problem: 'unexpected character', text, offset: i });
  }
  if (count === 0) throw new SipSyntaxError({ what, problem: 'empty header' });
}

function scanNameAddr(value: string, start: number, end: number, what: string, out: NameAddr[] | null, list: boolean): number {
  const address: Address | null = out === null ? null : { displayName: null, uri: undefined };
  const paramsStart = scanAddress(value, start, end, what, address, list);
  const params: Params | null = out === null ? null : new Map();
  const last = scanParams(value, paramsStart, end, what, params);
  if (out !== null && params !== null && address !== null && address.uri !== undefined) out.push({ displayName: address.displayName, uri: address.uri, params });
  return last;
}

/** What `scanAddress` builds: the display name and URI of a name-addr / addr-spec. */
interface Address {
  displayName: string | null;
  uri: Uri | undefined;
}

/**
 * Scans the name-addr / addr-spec at `start` in text[.., end) (without its
 * parameters) into `out`, or only checks it when `out` is null; returns the
 * index after it.
 */
function scanAddress(value: string, start: number, end: number, what: string, out: Address | null, list: boolean): number {
  let i = skipLws(value, start, end);
  let displayName: string | null = null;
  let uri: Uri | undefined;
  let last: number;
  const first = i < end ? value.charCodeAt(i) : -1;
  let angle = -1;
  if (first === 0x22 /* " */) {
    const quoteEnd = scanQuotedString(value, i, end, what);
    if (out !== null) displayName = unquote(value.slice(i + 1, quoteEnd - 1));
    angle = skipLws(value, quoteEnd, end);
    if (angle >= end || value.charCodeAt(angle) !== 0x3c /* < */) throw new SipSyntaxError({ what, problem: 'expected "<" after display name', text: value, offset: angle });
  } else if (first === 0x3c) {
    angle = i;
  } else {
    // *(token LWS) then "<" is a name-addr; RFC 4475 §3.1.1.6 accepts no LWS before "<".
    let j = i;
    while (j < end) {
      const code = value.charCodeAt(j);
      if (isChar(code, TOKEN) || isLws(code)) j++;
      else break;
    }
    if (j < end && value.charCodeAt(j) === 0x3c) {
      angle = j;
      if (out !== null) displayName = value.slice(i, j).trim();
    }
  }
  if (angle >= 0) {
    const close = value.indexOf('>', angle + 1);
    if (close < 0 || close >= end) throw new SipSyntaxError({ what, problem: 'expected ">"', text: value, offset: angle });
    // RFC 4475 §3.1.2.14: tolerate white space inside the angle brackets.
    const uriStart = skipLws(value, angle + 1, close);
    let uriEnd = close;
    while (uriEnd > uriStart && isLws(value.charCodeAt(uriEnd - 1))) uriEnd--;
    uri = uriIn(value, uriStart, uriEnd, what, out !== null);
    last = close + 1;
  } else {
    let j = i;
    while (j < end) {
      const code = value.charCodeAt(j);
      if (code === 0x3b /* ; */ || isLws(code) || (list && code === 0x2c)) break;
      j++;
    }
    if (j === i) throw new SipSyntaxError({ what, problem: 'expected a URI', text: value, offset: i });
    uri = uriIn(value, i, j, what, out !== null);
    last = j;
  }
  if (out !== null) {
    out.displayName = displayName;
    out.uri = uri;
  }
  return last;
}

/** The URI text[start, end), checked in place (or built); its errors name the header and quote the URI alone. */
function uriIn(text: string, start: number, end: number, what: string, build: boolean): Uri | undefined {
  try {
    if (build) return parseUri(text.slice(start, end));
    checkUriAt(text, start, end);
    return undefined;
  } catch (error: unknown) {
    if (!(error instanceof SipSyntaxError)) throw error;
    // parseUri read the substring (positions already its own); checkUriAt read `text` in place.
    throw new SipSyntaxError({ what, problem: (build ? error : error.anchoredTo(start, end)).message });
  }
}

/** Always the name-addr form (angle brackets), so URI parameters can never be mistaken for header parameters. */
export function formatNameAddr(nameAddr: NameAddr): string {
  const display = nameAddr.displayName === null ? '' : `${quote(nameAddr.displayName)} `;
  return `${display}<${formatUri(nameAddr.uri)}>${formatParams(nameAddr.params)}`;
}
