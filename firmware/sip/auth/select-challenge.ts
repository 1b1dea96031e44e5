/**
 * Choosing which of a realm's challenges to answer, and with which qop.
 */
import { lookupDigestAlgorithm, type DigestAlgorithmName } from './digest-algorithm.ts';
import type { DigestChallenge } from './digest-challenge.ts';
import type { DigestQop } from './digest-response.ts';

export interface ChallengeChoice {
  readonly challenge: DigestChallenge;
  readonly algorithm: DigestAlgorithmName;
  readonly qop: DigestQop | null;
}

export type ChallengeSelection =
  | { readonly ok: true; readonly choice: ChallengeChoice }
  /** Nothing usable: one reason per challenge (`algorithm AKAv1-MD5 not supported`...) and the algorithm tokens offered. */
  | { readonly ok: false; readonly reasons: readonly string[]; readonly algorithms: readonly string[] };

/**
 * RFC 7616 §3.3: the qop to answer with. `auth` is preferred to `auth-int`
 * when both are offered (a body rewritten by a B2BUA or SBC breaks auth-int);
 * `auth-int` is used when it is the only one; none when the challenge has no
 * qop (RFC 2069 compatibility). Undefined when only unknown qops are offered.
 */
function chooseQop(offered: readonly string[]): DigestQop | null | undefined {
  if (offered.length === 0) return null;
  if (offered.includes('auth')) return 'auth';
  if (offered.includes('auth-int')) return 'auth-int';
  return undefined;
}

const QOP_RANK: Readonly<Record<DigestQop | 'none', number>> = { auth: 2, 'auth-int': 1, none: 0 };

/**
 * Picks, among the challenges of one realm, the strongest this client can
 * answer: by algorithm (SHA-512-256 > SHA-256 > MD5), then by qop (auth >
 * auth-int > none); ties go to the topmost challenge.
 *
 * RFC 8760 §2.4 asks a UAC to use the topmost challenge it supports "unless
 * a local policy dictates otherwise"; preferring the strongest algorithm is
 * this phone's local policy, so a server listing MD5 first cannot downgrade us.
 */
export function selectChallenge(
  challenges: readonly DigestChallenge[],
  allowed: ReadonlySet<DigestAlgorithmName>,
): ChallengeSelection {
  let best: ChallengeChoice | null = null;
  let bestRank = -1;
  const reasons: string[] = [];
  for (const challenge of challenges) {
    const token = challenge.algorithmToken ?? 'MD5';
    const info = challenge.algorithm === null ? undefined : lookupDigestAlgorithm(challenge.algorithm);
    if (info === undefined || !allowed.has(info.name)) {
      reasons.push(`algorithm ${token} not supported`);
      continue;
    }
    const qop = chooseQop(challenge.qop);
    if (qop === undefined) {
      reasons.push(`qop "${challenge.qop.join(',')}" not supported`);
      continue;
    }
    // RFC 2617 §3.2.2: no cnonce may be sent without a qop, so the server could not compute a -sess A1.
    if (info.session && qop === null) {
      reasons.push(`algorithm ${info.name} offered without qop`);
      continue;
    }
    const rank = info.strength * 10 + QOP_RANK[qop ?? 'none'];
    if (rank > bestRank) {
      best = { challenge, algorithm: info.name, qop };
      bestRank = rank;
    }
  }
  if (best !== null) return { ok: true, choice: best };
  return { ok: false, reasons, algorithms: challenges.map((c) => c.algorithmToken ?? 'MD5') };
}
