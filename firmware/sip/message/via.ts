/**
 * RFC 3261 §20.42 Via: sent-protocol LWS sent-by *( SEMI via-params ), with
 * LWS allowed around `/`, `:`, `;` and `=` (RFC 4475 §3.1.1.1). A Via field
 * holds a comma list of such values (RFC 3261 §7.3.1).
 */
import { DIGIT, isChar } from './char-classes.ts';
import { SipSyntaxError } from './errors.ts';
import { scanHostEnd, scanPort } from './host.ts';
import { formatParams, scanParams } from './params.ts';
import { transportName } from './param-names.ts';
import { lowerSlice, scanToken, skipLws, startsWithAt, upperSlice } from './scan.ts';
import type { Params, Via } from './types.ts';

const WHAT = 'Via';
const SIP_2_0 = 'SIP/2.0';

/** Parses one Via value (not a comma list). Throws SipSyntaxError. */
export function parseVia(value: string): Via {
  const out: Via[] = [];
  const end = skipLws(value, scanVia(value, 0, value.length, out), value.length);
  if (end !== value.length) throw new SipSyntaxError({ what: WHAT, problem: 'unexpected character', text: value, offset: end });
  return out[0] as Via;
}

/**
 * Parses a whole Via field value text[start, end) (a comma list; empty
 * elements are skipped) into `out`, or only checks it when `out` is null.
 * Throws SipSyntaxError (positions in `text`).
 */
export function scanViaList(text: string, start: number, end: number, out: Via[] | null): void {
  let i = start;
  let count = 0;
  for (;;) {
    i = skipLws(text, i, end);
    while (i < end && text.charCodeAt(i) === 0x2c /* , */) i = skipLws(text, i + 1, end);
    if (i >= end) break;
    i = skipLws(text, scanVia(text, i, end, out), end);
    count++;
    if (i >= end) break;
    if (text.charCodeAt(i) !== 0x2c) throw new SipSyntaxError({ what: WHAT, problem: 'unexpected character', text, offset: i });
  }
  if (count === 0) throw new SipSyntaxError({ what: WHAT, problem: 'empty header' });
}

/** Scans one via-parm from `start` in text[.., end); pushes it to `out` unless null; returns the index after it. */
function scanVia(value: string, start: number, end: number, out: Via[] | null): number {
  let i = skipLws(value, start, end);
  let protocol = SIP_2_0;
  if (startsWithAt(value, i, 'SIP/2.0/') && i + 8 <= end) {
    // The usual sent-protocol, read at once: the same tokens and slashes the general path reads.
    i = skipLws(value, i + 8, end);
  } else {
    const nameStart = i;
    const nameEnd = scanToken(value, i, end);
    if (nameEnd === i) throw new SipSyntaxError({ what: WHAT, problem: 'expected protocol name', text: value, offset: i });
    i = expectSlash(value, nameEnd, end);
    const versionStart = i;
    const versionEnd = scanToken(value, i, end);
    if (versionEnd === i) throw new SipSyntaxError({ what: WHAT, problem: 'expected protocol version', text: value, offset: i });
    i = expectSlash(value, versionEnd, end);
    if (out !== null) {
      const name = upperSlice(value, nameStart, nameEnd);
      const version = value.slice(versionStart, versionEnd);
      protocol = name === 'SIP' && version === '2.0' ? SIP_2_0 : `${name}/${version}`;
    }
  }
  const transportStart = i;
  const transportEnd = scanToken(value, i, end);
  if (transportEnd === i) throw new SipSyntaxError({ what: WHAT, problem: 'expected transport', text: value, offset: i });
  i = skipLws(value, transportEnd, end);
  if (i === transportEnd) throw new SipSyntaxError({ what: WHAT, problem: 'expected white space before sent-by', text: value, offset: i });
  const hostStart = i;
  const hostEnd = scanHostEnd(value, i, end, WHAT);
  let last = hostEnd;
  let port: number | null = null;
  i = skipLws(value, last, end);
  if (i < end && value.charCodeAt(i) === 0x3a /* : */) {
    const portScan = scanPort(value, skipLws(value, i + 1, end), end, WHAT);
    port = portScan.port;
    last = portScan.end;
  }
  const params: Params | null = out === null ? null : new Map();
  last = scanParams(value, last, end, WHAT, params, checkViaParam);
  if (out !== null && params !== null) {
    out.push({ protocol, transport: transportName(value, transportStart, transportEnd), host: lowerSlice(value, hostStart, hostEnd), port, params });
  }
  return last;
}

function expectSlash(value: string, start: number, end: number): number {
  const i = skipLws(value, start, end);
  if (i >= end || value.charCodeAt(i) !== 0x2f /* / */) throw new SipSyntaxError({ what: WHAT, problem: 'expected "/" in sent-protocol', text: value, offset: i });
  return skipLws(value, i + 1, end);
}

/** RFC 3261 §20.42 / RFC 3581 §3: ttl is 0..255, rport is empty or a port, branch has a value. */
function checkViaParam(name: string, text: string, valueStart: number, valueEnd: number): void {
  // `name` is the shared constant for these (see paramName): compared by identity.
  if (name === 'ttl') {
    if (!isNumberAtMost(text, valueStart, valueEnd, 255)) throw new SipSyntaxError({ what: WHAT, problem: 'ttl is not 0..255', text });
  } else if (name === 'rport') {
    if (valueStart >= 0 && !isNumberAtMost(text, valueStart, valueEnd, 65535)) throw new SipSyntaxError({ what: WHAT, problem: 'rport is not a port number', text });
  } else if (name === 'branch' && valueStart < 0) {
    throw new SipSyntaxError({ what: WHAT, problem: 'branch without a value', text });
  }
}

function isNumberAtMost(text: string, start: number, end: number, max: number): boolean {
  if (start < 0 || end <= start || end - start > 10) return false;
  let number = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (!isChar(code, DIGIT)) return false;
    number = number * 10 + (code - 0x30);
  }
  return number <= max;
}

export function formatVia(via: Via): string {
  const port = via.port === null ? '' : `:${via.port}`;
  return `${via.protocol}/${via.transport} ${via.host}${port}${formatParams(via.params)}`;
}
