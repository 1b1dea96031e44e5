/**
 * URI equivalence: RFC 3261 §19.1.4 for sip/sips, RFC 3966 §4 for tel,
 * exact (scheme case-insensitive) comparison for anything else.
 */
import type { Params, SipUri, TelUri, Uri } from './types.ts';

/** RFC 3261 §19.1.4: these parameters must match when present in either URI. */
const STRICT_PARAMS: readonly string[] = ['user', 'ttl', 'method', 'maddr', 'transport'];

export function uriEquals(a: Uri, b: Uri): boolean {
  if (a.scheme === 'other' || b.scheme === 'other') {
    return a.scheme === 'other' && b.scheme === 'other' && a.otherScheme === b.otherScheme && a.text.slice(a.otherScheme.length) === b.text.slice(b.otherScheme.length);
  }
  if (a.scheme === 'tel' || b.scheme === 'tel') {
    return a.scheme === 'tel' && b.scheme === 'tel' && telEquals(a, b);
  }
  return sipEquals(a, b);
}

function sipEquals(a: SipUri, b: SipUri): boolean {
  /** RFC 3261 §19.1.4: a SIP and a SIPS URI are never equivalent. */
  if (a.scheme !== b.scheme) return false;
  /** RFC 3261 §19.1.4: userinfo is compared case-sensitively, after unescaping (done at parse time). */
  if (a.user !== b.user || a.password !== b.password) return false;
  /** RFC 3261 §19.1.4: host case-insensitively (stored lower-cased); IPv6 by address (RFC 5118 §4.3). */
  if (!hostEquals(a.host, b.host)) return false;
  /** RFC 3261 §19.1.4: an omitted port does not match an explicit one, even 5060. */
  if (a.port !== b.port) return false;
  /**
   * RFC 3261 §19.1.4: user, ttl, method, maddr and transport must match if present in either;
   * other parameters present in both must match; a parameter in only one is ignored.
   * Parameter values compare case-insensitively.
   */
  for (const name of STRICT_PARAMS) {
    if (a.params.has(name) !== b.params.has(name)) return false;
  }
  for (const [name, value] of a.params) {
    if (!b.params.has(name)) continue;
    if (!sameValue(value, b.params.get(name) ?? null)) return false;
  }
  /** RFC 3261 §19.1.4: URI header components are never ignored: all must be present in both and match. */
  if (a.headers.size !== b.headers.size) return false;
  for (const [name, value] of a.headers) {
    const other = findCaseInsensitive(b.headers, name);
    if (other === undefined || other !== value) return false;
  }
  return true;
}

function sameValue(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return a.toLowerCase() === b.toLowerCase();
}

function findCaseInsensitive(map: Map<string, string>, name: string): string | undefined {
  const direct = map.get(name);
  if (direct !== undefined) return direct;
  const lower = name.toLowerCase();
  for (const [key, value] of map) if (key.toLowerCase() === lower) return value;
  return undefined;
}

function hostEquals(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.charCodeAt(0) !== 0x5b || b.charCodeAt(0) !== 0x5b) return false;
  const ca = canonicalIpv6(a);
  return ca !== undefined && ca === canonicalIpv6(b);
}

/** `[2001:DB8:0::1]` → `[2001:db8::1]` (WHATWG URL host serialisation, RFC 5952 form). */
function canonicalIpv6(reference: string): string | undefined {
  try {
    return new URL(`http://${reference}/`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * RFC 3966 §4: numbers compare after removing visual separators (hex digits
 * case-insensitively); both URIs must have the same set of parameters, with
 * equal values (case-insensitive).
 */
function telEquals(a: TelUri, b: TelUri): boolean {
  if (stripVisual(a.number) !== stripVisual(b.number)) return false;
  return sameParamSet(a.params, b.params);
}

function stripVisual(number: string): string {
  let out = '';
  for (let i = 0; i < number.length; i++) {
    const ch = number[i] as string;
    if (ch !== '-' && ch !== '.' && ch !== '(' && ch !== ')') out += ch;
  }
  return out.toLowerCase();
}

function sameParamSet(a: Params, b: Params): boolean {
  if (a.size !== b.size) return false;
  for (const [name, value] of a) {
    if (!b.has(name) || !sameValue(value, b.get(name) ?? null)) return false;
  }
  return true;
}
