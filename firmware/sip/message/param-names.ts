/**
 * Parameter names, Via transports and methods as shared constants: the usual ones
 * (RFC 3261 §19.1.1 URI parameters, §20.42 Via parameters, §19.3 tag, RFC
 * 3581 rport, RFC 5626 ob/reg-id) are recognised in place, case-insensitively,
 * and returned as one string each, so reading them neither slices nor hashes
 * a new string (a Map look-up of a constant uses its cached hash).
 */
import { equalsLower, lowerSlice, startsWithAt, upperSlice } from './scan.ts';

/** Lower-case names by length (index = length). */
const NAMES_BY_LENGTH: readonly (readonly string[])[] = [
  [],
  ['q'],
  ['lr', 'ob'],
  ['tag', 'ttl'],
  ['user'],
  ['rport', 'maddr'],
  ['branch', 'method', 'reg-id'],
  ['expires'],
  ['received'],
  ['transport'],
];

/** text[start, end) lower-cased (ASCII): a shared constant for the usual parameter names. */
export function paramName(text: string, start: number, end: number): string {
  const length = end - start;
  if (length < NAMES_BY_LENGTH.length) {
    const names = NAMES_BY_LENGTH[length] as readonly string[];
    // Exact spelling first (the usual case: one comparison per character), then any case.
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      if (startsWithAt(text, start, name)) return name;
    }
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      if (equalsLower(text, start, name)) return name;
    }
  }
  return lowerSlice(text, start, end);
}

/** RFC 3261 §20.42 / RFC 7118 transports, upper case. */
const TRANSPORTS: readonly string[] = ['UDP', 'TCP', 'TLS', 'SCTP', 'WS', 'WSS', 'TLS-SCTP'];

/** text[start, end) upper-cased (ASCII): a shared constant for the usual Via transports. */
export function transportName(text: string, start: number, end: number): string {
  for (let i = 0; i < TRANSPORTS.length; i++) {
    const name = TRANSPORTS[i] as string;
    if (name.length === end - start && (startsWithAt(text, start, name) || equalsUpper(text, start, name))) return name;
  }
  return upperSlice(text, start, end);
}

/** True when text[start, start + upper.length) equals the upper-case letters/`-` of `upper`, ignoring case. */
function equalsUpper(text: string, start: number, upper: string): boolean {
  for (let i = 0; i < upper.length; i++) {
    if ((text.charCodeAt(start + i) & 0xdf) !== upper.charCodeAt(i) && text.charCodeAt(start + i) !== upper.charCodeAt(i)) return false;
  }
  return true;
}

/** RFC 3261 §7.1 / §27.4 and extension methods, as written (methods are case-sensitive). */
const METHODS: readonly string[] = [
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'REGISTER', 'OPTIONS', 'INFO', 'UPDATE', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'REFER', 'MESSAGE', 'PUBLISH',
];

/** The method text[start, end) (a token), as a shared constant when it is a usual one. */
export function methodName(text: string, start: number, end: number): string {
  for (let i = 0; i < METHODS.length; i++) {
    const name = METHODS[i] as string;
    if (name.length === end - start && startsWithAt(text, start, name)) return name;
  }
  return text.slice(start, end);
}
