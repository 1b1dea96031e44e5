/**
 * The digest algorithms this client implements and how strong each is.
 *
 * RFC 7616 §3.2 / §6.1 (IANA "HTTP Digest Hash Algorithms"): MD5, SHA-256 and
 * SHA-512-256, each with a `-sess` variant. RFC 8760 §2.1 makes SHA-256 and
 * SHA-512-256 available to SIP (RFC 3261 §22.4 knew MD5 only).
 */
import { createHash } from 'node:crypto';

export type DigestAlgorithmName = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256' | 'SHA-512-256-sess';

export interface DigestAlgorithmInfo {
  /** Canonical spelling, as registered with IANA and sent back in credentials. */
  readonly name: DigestAlgorithmName;
  /** node:crypto hash name. `sha512-256` is FIPS 180-4 SHA-512/256 (its own IV, not a truncated SHA-512). */
  readonly hashName: 'md5' | 'sha256' | 'sha512-256';
  /** RFC 7616 §3.4.2: A1 includes the nonce and cnonce. */
  readonly session: boolean;
  /** Higher is stronger: SHA-512-256 > SHA-256 > MD5. A `-sess` variant is as strong as its base. */
  readonly strength: number;
}

const ALGORITHMS: readonly DigestAlgorithmInfo[] = [
  { name: 'MD5', hashName: 'md5', session: false, strength: 1 },
  { name: 'MD5-sess', hashName: 'md5', session: true, strength: 1 },
  { name: 'SHA-256', hashName: 'sha256', session: false, strength: 2 },
  { name: 'SHA-256-sess', hashName: 'sha256', session: true, strength: 2 },
  { name: 'SHA-512-256', hashName: 'sha512-256', session: false, strength: 3 },
  { name: 'SHA-512-256-sess', hashName: 'sha512-256', session: true, strength: 3 },
];

const BY_LOWER_NAME: ReadonlyMap<string, DigestAlgorithmInfo> = new Map(
  ALGORITHMS.map((info) => [info.name.toLowerCase(), info]),
);

/** Every algorithm implemented, weakest first. */
export const SUPPORTED_DIGEST_ALGORITHMS: readonly DigestAlgorithmName[] = ALGORITHMS.map((info) => info.name);

/** RFC 7616 §3.3: algorithm tokens compare case-insensitively. Undefined for unknown ones. */
export function lookupDigestAlgorithm(token: string): DigestAlgorithmInfo | undefined {
  return BY_LOWER_NAME.get(token.trim().toLowerCase());
}

/** RFC 7616 §3.4.1 `H(data)`: lower-case hex of the algorithm's hash over the UTF-8 octets (RFC 7616 §4, RFC 3261 §25.1). */
export function digestHash(algorithm: DigestAlgorithmInfo, data: string | Uint8Array): string {
  const hash = createHash(algorithm.hashName);
  if (typeof data === 'string') hash.update(data, 'utf8');
  else hash.update(data);
  return hash.digest('hex');
}
