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
import { findParam, formatParams, scanParams } from './params.ts';
import { quote, scanQuotedString, skipLws, unquote } from './scan.ts';
import type { NameAddr, Params, Uri } from './types.ts';
import { checkUri, formatUri, parseUri } from './uri.ts';

/** Parses one name-addr or addr-spec with its parameters. `what` names the header in errors. */
export function parseNameAddr(value: string, what = 'name-addr'): NameAddr {
  const out: NameAddr[] = [];
  const end = skipLws(value, scanNameAddr(value, 0, what, out, false));
  if (end !== value.length) throw new SipSyntaxError({ what, problem: 'unexpected character', text: value, offset: end });
  return out[0] as NameAddr;
}

/** Checks one name-addr or addr-spec exactly as `parseNameAddr` does, building nothing. */
export function checkNameAddr(value: string, what: string): void {
  const end = skipLws(value, scanNameAddr(value, 0, what, null, false));
  if (end !== value.length) throw new SipSyntaxError({ what, problem: 'unexpected character', text: value, offset: end });
}

/**
 * Checks one name-addr or addr-spec exactly as `parseNameAddr` does and
 * returns what `parseNameAddr(value).params.get(name)` would (`name` in lower
 * case), building nothing else: the From/To tag without a URI or a Map.
 */
export function checkNameAddrParam(value: string, what: string, name: string): string | null | undefined {
  const paramsStart = scanAddress(value, 0, what, null, false);
  const end = skipLws(value, scanParams(value, paramsStart, what, null));
  if (end !== value.length) throw new SipSyntaxError({ what, problem: 'unexpected character', text: value, offset: end });
  return findParam(value, paramsStart, name);
}

/**
 * A comma list of name-addr/addr-spec values (Contact, Route...) into `out`,
 * or only checked when `out` is null. Empty elements are skipped.
 */
export function scanNameAddrList(text: string, what: string, out: NameAddr[] | null): void {
  let i = 0;
  let count = 0;
  for (;;) {
    i = skipLws(text, i);
    while (text.charCodeAt(i) === 0x2c /* , */) i = skipLws(text, i + 1);
    if (i >= text.length) break;
    i = skipLws(text, scanNameAddr(text, i, what, out, true));
    count++;
    if (i >= text.length) break;
    if (text.charCodeAt(i) !== 0x2c) throw new SipSyntaxError({ what, problem: 'unexpected character', text, offset: i });
  }
  if (count === 0) throw new SipSyntaxError({ what, problem: 'empty header' });
}

function scanNameAddr(value: string, start: number, what: string, out: NameAddr[] | null, list: boolean): number {
  const address: Address | null = out === null ? null : { displayName: null, uri: undefined };
  const paramsStart = scanAddress(value, start, what, address, list);
  const params: Params | null = out === null ? null : new Map();
  const end = scanParams(value, paramsStart, what, params);
  if (out !== null && params !== null && address !== null && address.uri !== undefined) out.push({ displayName: address.displayName, uri: address.uri, params });
  return end;
}

/** What `scanAddress` builds: the display name and URI of a name-addr / addr-spec. */
interface Address {
  displayName: string | null;
  uri: Uri | undefined;
}

/**
 * Scans the name-addr / addr-spec at `start` (without its parameters) into
 * `out`, or only checks it when `out` is null; returns the index after it.
 */
function scanAddress(value: string, start: number, what: string, out: Address | null, list: boolean): number {
  let i = skipLws(value, start);
  let displayName: string | null = null;
  let uri: Uri | undefined;
  let end: number;
  const first = value.charCodeAt(i);
  let angle = -1;
  if (first === 0x22 /* " */) {
    const quoteEnd = scanQuotedString(value, i, what);
    if (out !== null) displayName = unquote(value.slice(i + 1, quoteEnd - 1));
    angle = skipLws(value, quoteEnd);
    if (value.charCodeAt(angle) !== 0x3c /* < */) throw new SipSyntaxError({ what, problem: 'expected "<" after display name', text: value, offset: angle });
  } else if (first === 0x3c) {
    angle = i;
  } else {
    // *(token LWS) then "<" is a name-addr; RFC 4475 §3.1.1.6 accepts no LWS before "<".
    let j = i;
    while (j < value.length) {
      const code = value.charCodeAt(j);
      if (isChar(code, TOKEN) || isLws(code)) j++;
      else break;
    }
    if (value.charCodeAt(j) === 0x3c) {
      angle = j;
      if (out !== null) displayName = value.slice(i, j).trim();
    }
  }
  if (angle >= 0) {
    const close = value.indexOf('>', angle + 1);
    if (close < 0) throw new SipSyntaxError({ what, problem: 'expected ">"', text: value, offset: angle });
    // RFC 4475 §3.1.2.14: tolerate white space inside the angle brackets.
    const uriStart = skipLws(value, angle + 1);
    let uriEnd = close;
    while (uriEnd > uriStart && isLws(value.charCodeAt(uriEnd - 1))) uriEnd--;
    uri = uriIn(value.slice(uriStart, uriEnd), what, out !== null);
    end = close + 1;
  } else {
    let j = i;
    while (j < value.length) {
      const code = value.charCodeAt(j);
      if (code === 0x3b /* ; */ || isLws(code) || (list && code === 0x2c)) break;
      j++;
    }
    if (j === i) throw new SipSyntaxError({ what, problem: 'expected a URI', text: value, offset: i });
    uri = uriIn(value.slice(i, j), what, out !== null);
    end = j;
  }
  if (out !== null) {
    out.displayName = displayName;
    out.uri = uri;
  }
  return end;
}

function uriIn(text: string, what: string, build: boolean): Uri | undefined {
  try {
    if (build) return parseUri(text);
    checkUri(text);
    return undefined;
  } catch (error: unknown) {
    if (error instanceof SipSyntaxError) throw new SipSyntaxError({ what, problem: error.message });
    throw error;
  }
}

/** Always the name-addr form (angle brackets), so URI parameters can never be mistaken for header parameters. */
export function formatNameAddr(nameAddr: NameAddr): string {
  const display = nameAddr.displayName === null ? '' : `${quote(nameAddr.displayName)} `;
  return `${display}<${formatUri(nameAddr.uri)}>${formatParams(nameAddr.params)}`;
}
