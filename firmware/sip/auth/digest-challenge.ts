/**
 * Digest challenges (`WWW-Authenticate` / `Proxy-Authenticate`) as typed
 * values. Never throws: a field that cannot be read yields messages in
 * `errors`, and every challenge that could be read is still returned.
 */
import { parseAuthField, type AuthItem } from './auth-params.ts';
import { lookupDigestAlgorithm, type DigestAlgorithmName } from './digest-algorithm.ts';

/** RFC 7616 §3.3 (RFC 2617 §3.2.1, RFC 3261 §25.1 `digest-cln`). */
export interface DigestChallenge {
  readonly scheme: 'Digest';
  /** Compared case-sensitively (it is a quoted-string, not a token). */
  readonly realm: string;
  readonly nonce: string;
  readonly opaque: string | null;
  /** Canonical name when this client implements it; null when the server named another (see `algorithmToken`). */
  readonly algorithm: DigestAlgorithmName | null;
  /** The algorithm token as the server sent it; null when absent (MD5 then, RFC 7616 §3.3). */
  readonly algorithmToken: string | null;
  /** qop-options offered, lower-cased, unknown values kept; empty when absent (RFC 2069 compatibility mode). */
  readonly qop: readonly string[];
  /** RFC 7616 §3.3: the previous credentials were good but the nonce was stale. */
  readonly stale: boolean;
  /** Protection space URIs (space-separated list in the challenge); empty when absent. */
  readonly domain: readonly string[];
  /** RFC 7616 §3.4.4: the server supports hashed usernames. */
  readonly userhash: boolean;
  /** RFC 7616 §3.3: only `UTF-8` is defined; null when absent. */
  readonly charset: string | null;
}

export interface DigestChallengeParse {
  /** Every well-formed Digest challenge, in field order then in-field order. */
  readonly challenges: readonly DigestChallenge[];
  /** Schemes other than Digest that were offered (Basic, Bearer...): ignored, listed for diagnostics. */
  readonly otherSchemes: readonly string[];
  /** What was wrong; empty when everything parsed cleanly. */
  readonly errors: readonly string[];
}

function parseBoolean(value: string | undefined): boolean {
  return value !== undefined && value.trim().toLowerCase() === 'true';
}

/** Builds a typed challenge from a Digest item, or returns why it cannot be used. */
function toDigestChallenge(item: AuthItem): DigestChallenge | string {
  if (item.errors.length > 0) return item.errors.join('; ');
  if (item.token68 !== null) return 'Digest challenge has a token68 instead of parameters';
  const realm = item.params.get('realm');
  const nonce = item.params.get('nonce');
  if (realm === undefined) return 'Digest challenge without realm';
  if (nonce === undefined || nonce.length === 0) return 'Digest challenge without nonce';
  const algorithmToken = item.params.get('algorithm') ?? null;
  const algorithm = algorithmToken === null ? 'MD5' : (lookupDigestAlgorithm(algorithmToken)?.name ?? null);
  // RFC 7616 §3.3: qop is a quoted, comma-separated list; servers also put spaces in it.
  const qopText = item.params.get('qop');
  const qop = qopText === undefined ? [] : qopText.split(/[\s,]+/).map((q) => q.toLowerCase()).filter((q) => q.length > 0);
  const domainText = item.params.get('domain');
  return {
    scheme: 'Digest',
    realm,
    nonce,
    opaque: item.params.get('opaque') ?? null,
    algorithm,
    algorithmToken,
    qop,
    stale: parseBoolean(item.params.get('stale')),
    domain: domainText === undefined ? [] : domainText.split(/\s+/).filter((d) => d.length > 0),
    userhash: parseBoolean(item.params.get('userhash')),
    charset: item.params.get('charset') ?? null,
  };
}

/**
 * RFC 7235 §4.1 / RFC 3261 §20.44, §20.27: parses the values of one or more
 * `WWW-Authenticate` (or `Proxy-Authenticate`) fields. A field may hold
 * several challenges (RFC 7235 §4.1) and a response may hold several fields
 * (RFC 8760 §2.4: one per algorithm, most preferred first); order is kept.
 */
export function parseDigestChallenges(fieldValues: readonly string[]): DigestChallengeParse {
  const challenges: DigestChallenge[] = [];
  const otherSchemes: string[] = [];
  const errors: string[] = [];
  fieldValues.forEach((fieldValue, fieldIndex) => {
    const where = fieldValues.length > 1 ? `field ${fieldIndex + 1}: ` : '';
    const field = parseAuthField(fieldValue);
    for (const error of field.errors) errors.push(`${where}${error}`);
    if (field.items.length === 0) errors.push(`${where}no challenge in field`);
    for (const item of field.items) {
      if (item.scheme.toLowerCase() !== 'digest') {
        otherSchemes.push(item.scheme);
        continue;
      }
      const challenge = toDigestChallenge(item);
      if (typeof challenge === 'string') errors.push(`${where}${challenge}`);
      else challenges.push(challenge);
    }
  });
  return { challenges, otherSchemes, errors };
}
