/**
 * Reads back the Digest credentials a request already carries, so the client
 * can tell a challenge to fresh credentials (rejection) from a challenge to
 * reused ones (an expired nonce).
 */
import { getHeaderValues } from '../message/headers.ts';
import type { SipRequest } from '../message/types.ts';
import { parseAuthField } from './auth-params.ts';
import { CHALLENGE_KINDS, CREDENTIALS_HEADER, type ChallengeKind } from './challenge-kind.ts';

export interface SentDigestCredentials {
  readonly kind: ChallengeKind;
  readonly realm: string;
  readonly nonce: string;
  /** The nc sent, or null when the credentials had no qop (or an unreadable nc). */
  readonly nonceCount: number | null;
}

/** RFC 7616 §3.4 / RFC 3261 §25.1 `digest-response` parameters realm, nonce and nc of each Digest credentials field. */
export function readSentCredentials(request: SipRequest): SentDigestCredentials[] {
  const sent: SentDigestCredentials[] = [];
  for (const kind of CHALLENGE_KINDS) {
    for (const value of getHeaderValues(request, CREDENTIALS_HEADER[kind])) {
      for (const item of parseAuthField(value).items) {
        if (item.scheme.toLowerCase() !== 'digest') continue;
        const realm = item.params.get('realm');
        const nonce = item.params.get('nonce');
        if (realm === undefined || nonce === undefined) continue;
        const nc = item.params.get('nc');
        const nonceCount = nc !== undefined && /^[0-9a-f]{8}$/i.test(nc) ? Number.parseInt(nc, 16) : null;
        sent.push({ kind, realm, nonce, nonceCount });
      }
    }
  }
  return sent;
}
