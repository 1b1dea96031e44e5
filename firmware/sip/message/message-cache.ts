/**
 * Per-message cache of parsed header values (and, for parsed messages, the
 * wire image the serializer may reuse). Held in a private class field stamped
 * onto the message object (the "constructor return override" idiom), so
 * messages stay plain data with `Object.prototype`: spreads, deep equality,
 * JSON and reflection see nothing, and attaching it costs a hidden-class
 * transition (a WeakMap or `defineProperty` was measured 20-100x slower).
 * Entries are keyed by header field object identity: a field that is replaced
 * (fields are immutable `{ name, value }` pairs) is parsed again.
 */
import type { Header, SipMessage } from './types.ts';

interface FieldEntry {
  readonly field: Header;
  /** The parse function that produced `value` (a module-level function: its identity is the key). */
  readonly parse: (field: Header) => unknown;
  readonly value: unknown;
}

/** The bytes a parsed message came from, reusable while nothing that is serialized has changed. */
export interface WireImage {
  /** `message.headers` as parsed (the array and its field objects). */
  readonly headers: readonly Header[];
  readonly fields: readonly Header[];
  /** The start line as received, in the parts the serializer writes (it was laid out exactly as they would be). */
  readonly start: WireStartLine;
  /** The received datagram/frame; bytes [headStart, headEnd) are the start line through the CRLF CRLF ending the header section. */
  readonly data: Buffer;
  readonly headStart: number;
  readonly headEnd: number;
  /**
   * The body length the single Content-Length value states when it is written
   * as the serializer would write it (`String(length)`: digits, no leading
   * zero), else -1: the received bytes are reusable only for that body length.
   */
  readonly bodyLength: number;
}

/** A received start line: `method SP uri SP version` or `version SP status SP reason`. */
export type WireStartLine =
  | { readonly kind: 'request'; readonly method: string; readonly uri: string; readonly version: string }
  | { readonly kind: 'response'; readonly version: string; readonly status: number; readonly reason: string };

export interface MessageCache {
  readonly entries: FieldEntry[];
  image: WireImage | undefined;
}

/** Returns its argument from the constructor, so a subclass's private fields are added to that object. */
class ReturnsTarget {
  constructor(target: object) {
    return target;
  }
}

class CacheStamp extends ReturnsTarget {
  readonly #cache: MessageCache = { entries: [], image: undefined };

  static peek(target: object): MessageCache | undefined {
    return #cache in target ? (target as CacheStamp).#cache : undefined;
  }
}

/** The message's cache, created on first use; undefined for a frozen/sealed message. */
export function cacheOf(message: SipMessage): MessageCache | undefined {
  const existing = CacheStamp.peek(message);
  if (existing !== undefined) return existing;
  if (!Object.isExtensible(message)) return undefined;
  new CacheStamp(message);
  return CacheStamp.peek(message);
}

/** The message's cache if it has one (never creates it). */
export function peekCache(message: SipMessage): MessageCache | undefined {
  return CacheStamp.peek(message);
}

/** `parse(field)`, computed once per field object and parse function while the message lives. */
export function memo<T>(message: SipMessage, field: Header, parse: (field: Header) => T): T {
  const cache = cacheOf(message);
  if (cache === undefined) return parse(field);
  const entries = cache.entries;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as FieldEntry;
    // Same field object and same parse function: the value is that function's result, a T.
    if (entry.field === field && entry.parse === parse) return entry.value as T;
  }
  const value = parse(field);
  entries.push({ field, parse, value });
  return value;
}

/** Records `value` as what `parse(field)` returns, for `memo` to find (the caller computed it some cheaper way). */
export function rememberIn<T>(cache: MessageCache, field: Header, parse: (field: Header) => T, value: T): void {
  const entries = cache.entries;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as FieldEntry;
    if (entry.field === field && entry.parse === parse) return;
  }
  entries.push({ field, parse, value });
}
