/**
 * RFC 3261 §25.1 `host` / `port` scanning, shared by URIs and Via sent-by.
 * IPv6 references keep their brackets (RFC 5118 §4); the three-colon form
 * admitted by the RFC 3261 ABNF bug (RFC 5118 §4.10) is tolerated.
 */
import { DIGIT, HEX, HOSTNAME, isChar } from './char-classes.ts';
import { SipSyntaxError } from './errors.ts';

/** Longest host accepted (RFC 1035 names are at most 253 octets). */
const MAX_HOST_CHARS = 255;
/** Longest IPv6 reference, brackets included, with an embedded IPv4 and slack. */
const MAX_IPV6_REFERENCE_CHARS = 64;

/** Checks the host at `start` (in text[.., end)) and returns the index just after it (no allocation). */
export function scanHostEnd(text: string, start: number, end: number, what: string): number {
  if (start < end && text.charCodeAt(start) === 0x5b /* [ */) return scanIpv6Reference(text, start, end, what);
  let i = start;
  let previous = 0x2e; // a leading "." or "-" is refused below, like an empty label
  for (; i < end; i++) {
    const code = text.charCodeAt(i);
    if (!isChar(code, HOSTNAME)) break;
    if (code === 0x2e && previous === 0x2e) throw new SipSyntaxError({ what, problem: 'empty label in host', text, offset: i });
    previous = code;
  }
  if (i === start) throw new SipSyntaxError({ what, problem: 'expected host', text, offset: start });
  if (i - start > MAX_HOST_CHARS) throw new SipSyntaxError({ what, problem: 'host too long', text, offset: start });
  const first = text.charCodeAt(start);
  if (first === 0x2d /* - */) throw new SipSyntaxError({ what, problem: 'host starts with "-"', text, offset: start });
  return i;
}

/** RFC 5118 §4.1: `[` IPv6address `]`. */
function scanIpv6Reference(text: string, start: number, end: number, what: string): number {
  const close = text.indexOf(']', start);
  if (close < 0 || close >= end) throw new SipSyntaxError({ what, problem: 'IPv6 reference without "]"', text, offset: start });
  if (close - start + 1 > MAX_IPV6_REFERENCE_CHARS) {
    throw new SipSyntaxError({ what, problem: 'IPv6 reference too long', text, offset: start });
  }
  let colons = 0;
  for (let i = start + 1; i < close; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x3a /* : */) colons++;
    else if (code !== 0x2e /* . */ && !isChar(code, HEX)) {
      throw new SipSyntaxError({ what, problem: 'invalid character in IPv6 reference', text, offset: i });
    }
  }
  if (colons < 2) throw new SipSyntaxError({ what, problem: 'invalid IPv6 address', text, offset: start });
  return close + 1;
}

export interface PortScan {
  readonly port: number;
  readonly end: number;
}

/** RFC 3261 §25.1 `port` = 1*DIGIT, limited to 0..65535. */
export function scanPort(text: string, start: number, end: number, what: string): PortScan {
  let i = start;
  let port = 0;
  while (i < end && isChar(text.charCodeAt(i), DIGIT)) {
    port = port * 10 + (text.charCodeAt(i) - 0x30);
    if (port > 65535) throw new SipSyntaxError({ what, problem: 'port out of range', text, offset: start });
    i++;
  }
  if (i === start) throw new SipSyntaxError({ what, problem: 'expected port number', text, offset: start });
  return { port, end: i };
}
