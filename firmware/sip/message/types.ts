/**
 * The SIP message model (RFC 3261 §7, §20, §25).
 *
 * Messages are plain data. Headers are kept as received, in order, as
 * `{ name, value }` pairs (an unknown header survives a parse/serialize round
 * trip verbatim); structured views of the headers a stack needs (Via, From,
 * To, CSeq, Contact...) are produced by the parsers in `header-values.ts`.
 *
 * Every parameter and URI-header table is a `Map`, never a plain object, so a
 * `;__proto__=x` from the wire cannot reach `Object.prototype`.
 */

/** Parameter names are stored lower-cased; a valueless parameter (`;lr`) maps to `null`. */
export type Params = Map<string, string | null>;

/** RFC 3261 §19.1: `sip:` and `sips:` URIs. */
export interface SipUri {
  readonly scheme: 'sip' | 'sips';
  /** Unescaped user part, or null when the URI has none. */
  readonly user: string | null;
  /** Unescaped password, or null. */
  readonly password: string | null;
  /** Lower-cased host; an IPv6 address is kept in reference form, with brackets (RFC 5118). */
  readonly host: string;
  readonly port: number | null;
  readonly params: Params;
  /** URI headers (`?subject=x&priority=urgent`), unescaped. */
  readonly headers: Map<string, string>;
}

/** RFC 3966 `tel:` URI. */
export interface TelUri {
  readonly scheme: 'tel';
  /** The number as written, visual separators included (`+1-201-555-0123`). */
  readonly number: string;
  readonly params: Params;
}

/** Any other absolute URI (RFC 3986), kept verbatim: the application may answer 416. */
export interface OtherUri {
  readonly scheme: 'other';
  /** The scheme as written, lower-cased (`http`, `mailto`, `urn`). */
  readonly otherScheme: string;
  /** The whole URI text as received. */
  readonly text: string;
}

export type Uri = SipUri | TelUri | OtherUri;

/** RFC 3261 §20.10 name-addr / addr-spec, with its header parameters (`;tag=`). */
export interface NameAddr {
  /** Display name, unquoted and unescaped; null when absent. */
  readonly displayName: string | null;
  readonly uri: Uri;
  readonly params: Params;
}

/** RFC 3261 §20.42 one Via value. */
export interface Via {
  /** `SIP/2.0` */
  readonly protocol: string;
  /** Upper-cased transport token: `UDP`, `TCP`, `TLS`, `SCTP`, `WS`... */
  readonly transport: string;
  /** Lower-cased sent-by host; IPv6 in reference form with brackets. */
  readonly host: string;
  readonly port: number | null;
  /** `branch`, `received`, `rport` (null when present without a value), `maddr`, `ttl`... */
  readonly params: Params;
}

/** RFC 3261 §20.16 */
export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

/** One header field as received (or as built): name as written, value with folding undone. */
export interface Header {
  readonly name: string;
  readonly value: string;
}

interface MessageBase {
  /** `SIP/2.0` */
  readonly version: string;
  /** Header fields in wire order. Mutable: the stack adds Via, Route, Authorization... */
  headers: Header[];
  body: Buffer;
}

export interface SipRequest extends MessageBase {
  readonly kind: 'request';
  /** Upper-case token as received (methods are case-sensitive). */
  readonly method: string;
  uri: Uri;
}

export interface SipResponse extends MessageBase {
  readonly kind: 'response';
  readonly status: number;
  readonly reason: string;
}

export type SipMessage = SipRequest | SipResponse;

/** Why a message was refused; `status` is what a UAS answers a request with (400 or 505), when it can answer. */
export interface SipParseError {
  readonly status: 400 | 505 | 513;
  /** Precise, human-readable: becomes the reason phrase, e.g. `Bad Request (CSeq method does not match request method)`. */
  readonly reason: string;
  /** The header the problem is in, when there is one. */
  readonly header?: string;
}

export type ParseResult =
  | { readonly ok: true; readonly message: SipMessage }
  | { readonly ok: false; readonly error: SipParseError; readonly partial?: SipMessage };

/** RFC 3261 §8.1.1.7: every branch we generate starts with this. */
export const MAGIC_COOKIE = 'z9hG4bK';
