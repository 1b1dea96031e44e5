/**
 * RFC 3261 §22.2 / §22.3: a UAS or registrar challenges with
 * `WWW-Authenticate` and is answered with `Authorization`; a proxy challenges
 * with `Proxy-Authenticate` and is answered with `Proxy-Authorization`.
 */
export type ChallengeKind = 'www' | 'proxy';

export const CHALLENGE_KINDS: readonly ChallengeKind[] = ['www', 'proxy'];

/** The header a challenge of this kind arrives in. */
export const CHALLENGE_HEADER: Readonly<Record<ChallengeKind, string>> = {
  www: 'WWW-Authenticate',
  proxy: 'Proxy-Authenticate',
};

/** The header that answers a challenge of this kind. */
export const CREDENTIALS_HEADER: Readonly<Record<ChallengeKind, string>> = {
  www: 'Authorization',
  proxy: 'Proxy-Authorization',
};
