/**
 * Digest credentials: the request-digest computation and the `Authorization`
 * / `Proxy-Authorization` field value that carries it. Pure functions; the
 * stateful choices (which challenge, which nonce count, which cnonce) belong
 * to `digest-client.ts`.
 */
import { digestHash, lookupDigestAlgorithm, type DigestAlgorithmInfo, type DigestAlgorithmName } from './digest-algorithm.ts';
import { quoteString } from './quoted-string.ts';

/** RFC 7616 §3.3 qop-options this client can answer. */
export type DigestQop = 'auth' | 'auth-int';

export interface DigestResponseInput {
  readonly algorithm: DigestAlgorithmName;
  readonly username: string;
  readonly password: string;
  readonly realm: string;
  readonly nonce: string;
  readonly method: string;
  /** RFC 3261 §22.4: the Request-URI exactly as it appears in the request line. */
  readonly digestUri: string;
  /** null: no qop (RFC 2069 compatibility, RFC 2617 §3.2.2.1). */
  readonly qop: DigestQop | null;
  /** Nonce count, 1 for the first use of a nonce; used only with a qop. */
  readonly nonceCount: number;
  /** Client nonce; required with a qop and with a `-sess` algorithm. */
  readonly cnonce: string | null;
  /** The message body, hashed into A2 for qop=auth-int (RFC 7616 §3.4.3). */
  readonly body?: Uint8Array;
}

function algorithmInfo(name: DigestAlgorithmName): DigestAlgorithmInfo {
  const info = lookupDigestAlgorithm(name);
  if (info === undefined) throw new RangeError(`unknown digest algorithm ${name}`);
  return info;
}

/** RFC 7616 §3.4 nc-value: exactly 8 lower-case hex digits. */
export function formatNonceCount(nonceCount: number): string {
  if (!Number.isInteger(nonceCount) || nonceCount < 1 || nonceCount > 0xffffffff) {
    throw new RangeError(`nonce count out of range: ${nonceCount}`);
  }
  return nonceCount.toString(16).padStart(8, '0');
}

/**
 * RFC 7616 §3.4.2 A1 (RFC 2617 §3.2.2.2): `user:realm:password`, or for a
 * `-sess` algorithm `H(user:realm:password):nonce:cnonce`; returns H(A1).
 */
function hashA1(info: DigestAlgorithmInfo, input: DigestResponseInput): string {
  const secret = digestHash(info, `${input.username}:${input.realm}:${input.password}`);
  if (!info.session) return secret;
  if (input.cnonce === null) throw new RangeError(`${info.name} needs a cnonce`);
  return digestHash(info, `${secret}:${input.nonce}:${input.cnonce}`);
}

/**
 * RFC 7616 §3.4.3 A2 (RFC 2617 §3.2.2.3): `method:digest-uri`, plus
 * `:H(entity-body)` for qop=auth-int (RFC 3261 §22.4: the SIP message body,
 * empty body included); returns H(A2).
 */
function hashA2(info: DigestAlgorithmInfo, input: DigestResponseInput): string {
  if (input.qop !== 'auth-int') return digestHash(info, `${input.method}:${input.digestUri}`);
  const bodyHash = digestHash(info, input.body ?? new Uint8Array(0));
  return digestHash(info, `${input.method}:${input.digestUri}:${bodyHash}`);
}

/**
 * RFC 7616 §3.4.1 request-digest:
 * `KD(H(A1), nonce:nc:cnonce:qop:H(A2))` with a qop, and the RFC 2069 form
 * `KD(H(A1), nonce:H(A2))` without one (RFC 2617 §3.2.2.1), where
 * `KD(secret, data) = H(secret:data)`.
 */
export function computeDigestResponse(input: DigestResponseInput): string {
  const info = algorithmInfo(input.algorithm);
  const ha1 = hashA1(info, input);
  const ha2 = hashA2(info, input);
  if (input.qop === null) return digestHash(info, `${ha1}:${input.nonce}:${ha2}`);
  if (input.cnonce === null) throw new RangeError('a qop needs a cnonce');
  const nc = formatNonceCount(input.nonceCount);
  return digestHash(info, `${ha1}:${input.nonce}:${nc}:${input.cnonce}:${input.qop}:${ha2}`);
}

export interface DigestCredentialsInput extends DigestResponseInput {
  /** The challenge's opaque, echoed unchanged (RFC 7616 §3.4). */
  readonly opaque: string | null;
  /** Send `algorithm=`; false mirrors a challenge that named none (MD5 implied). */
  readonly includeAlgorithm: boolean;
  /** RFC 7616 §3.4.4: send `username` as `H(username:realm)` and `userhash=true`. */
  readonly userhash: boolean;
}

/**
 * RFC 7616 §3.4 / RFC 3261 §22.4 and §25.1 `digest-response`: the value of an
 * `Authorization` or `Proxy-Authorization` field. Quoting per RFC 7616 §3.4:
 * username, realm, nonce, uri, response, cnonce and opaque are quoted-strings;
 * algorithm, qop, nc and userhash are bare tokens. A cnonce is sent only with a
 * qop (RFC 2617 §3.2.2), so a `-sess` algorithm requires a qop.
 */
export function buildDigestCredentials(input: DigestCredentialsInput): string {
  const info = algorithmInfo(input.algorithm);
  if (info.session && input.qop === null) throw new RangeError(`${info.name} cannot be answered without a qop`);
  const response = computeDigestResponse(input);
  const username = input.userhash ? digestHash(info, `${input.username}:${input.realm}`) : input.username;
  const parts = [
    `username=${quoteString(username)}`,
    `realm=${quoteString(input.realm)}`,
    `nonce=${quoteString(input.nonce)}`,
    `uri=${quoteString(input.digestUri)}`,
    `response=${quoteString(response)}`,
  ];
  if (input.includeAlgorithm) parts.push(`algorithm=${info.name}`);
  if (input.qop !== null && input.cnonce !== null) parts.push(`cnonce=${quoteString(input.cnonce)}`);
  if (input.opaque !== null) parts.push(`opaque=${quoteString(input.opaque)}`);
  if (input.qop !== null) parts.push(`qop=${input.qop}`, `nc=${formatNonceCount(input.nonceCount)}`);
  if (input.userhash) parts.push('userhash=true');
  return `Digest ${parts.join(', ')}`;
}
