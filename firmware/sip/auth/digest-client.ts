/**
 * The client side of SIP digest authentication (RFC 3261 §22, RFC 7616,
 * RFC 8760): answers 401/407 challenges, counts nonces, and remembers the
 * last challenge of each realm so later requests (a refresh REGISTER, a
 * re-INVITE) can carry credentials up front.
 *
 * One client per account (set of credentials). The caller re-sends the
 * request itself: new Via branch, CSeq incremented (RFC 3261 §22.2), the
 * headers returned here in place of the old ones (`setAuthorizationHeaders`).
 * The password is used only inside the hash; it is never logged, and
 * neither are H(A1) nor the request-digest.
 */
import { randomBytes } from 'node:crypto';
import { silentLogger, type Logger } from '../../log/logger.ts';
import { appendHeader, getHeaderValues, removeHeader } from '../message/headers.ts';
import type { Header, SipRequest, SipResponse, Uri } from '../message/types.ts';
import { CHALLENGE_HEADER, CHALLENGE_KINDS, CREDENTIALS_HEADER, type ChallengeKind } from './challenge-kind.ts';
import { SUPPORTED_DIGEST_ALGORITHMS, lookupDigestAlgorithm, type DigestAlgorithmName } from './digest-algorithm.ts';
import { parseDigestChallenges, type DigestChallenge } from './digest-challenge.ts';
import { buildDigestCredentials, type DigestQop } from './digest-response.ts';
import { selectChallenge } from './select-challenge.ts';
import { readSentCredentials, type SentDigestCredentials } from './sent-credentials.ts';

export interface DigestCredentials {
  readonly username: string;
  readonly password: string;
  /** The realm these credentials are for; absent: answer any realm. */
  readonly realm?: string;
}

export interface DigestClientOptions {
  /** Realm-specific entries win over a realm-less one. */
  readonly credentials: DigestCredentials | readonly DigestCredentials[];
  /**
   * Serialises the Request-URI exactly as the request line will carry it
   * (RFC 3261 §22.4: the digest `uri` is the Request-URI). Pass `formatUri`
   * from `firmware/sip/message/uri.ts`.
   */
  readonly formatRequestUri: (uri: Uri) => string;
  /** Category `sip.auth`. */
  readonly logger?: Logger;
  /** Client nonce factory; default 128 random bits in hex. Injectable for test vectors. */
  readonly createCnonce?: () => string;
  /** Algorithms this client may use (local policy, e.g. refuse MD5); default all implemented. */
  readonly allowedAlgorithms?: readonly DigestAlgorithmName[];
}

export type DigestAuthFailure =
  /** The response is not a 401 or 407. */
  | { readonly reason: 'not-a-challenge'; readonly message: string }
  /** A 401/407 without any usable Digest challenge (garbage, or only other schemes). */
  | { readonly reason: 'no-digest-challenge'; readonly message: string; readonly parseErrors: readonly string[]; readonly otherSchemes: readonly string[] }
  /** Fresh credentials for this realm were answered with a new, non-stale challenge: wrong username or password. */
  | { readonly reason: 'credentials-rejected'; readonly realm: string; readonly message: string }
  /** Every challenge of this realm uses an algorithm (or qop) this client does not implement. */
  | { readonly reason: 'unsupported-challenge'; readonly realm: string; readonly algorithms: readonly string[]; readonly message: string }
  /** No configured credentials match this realm. */
  | { readonly reason: 'missing-credentials'; readonly realm: string; readonly message: string };

export type DigestAuthOutcome =
  | {
      readonly ok: true;
      /** Every Authorization / Proxy-Authorization field the re-sent request must carry (replacing its old ones). */
      readonly headers: readonly Header[];
      /** The realms answered in this response, in order. */
      readonly realms: readonly string[];
    }
  | { readonly ok: false; readonly failure: DigestAuthFailure };

export interface ChallengedRequest {
  /** The request as it was sent (with whatever credentials it carried). */
  readonly request: SipRequest;
  /** The 401 or 407 it got. */
  readonly response: SipResponse;
}

/** What the client remembers about one challenged realm. */
interface RealmState {
  readonly kind: ChallengeKind;
  readonly challenge: DigestChallenge;
  readonly algorithm: DigestAlgorithmName;
  readonly qop: DigestQop | null;
  readonly credentials: DigestCredentials;
  /** The last nc used with `challenge.nonce`; 0 before the first use. */
  nonceCount: number;
  /** -sess: the cnonce fixed for this nonce, so H(A1) stays the session key of RFC 7616 §3.4.2. */
  sessionCnonce: string | null;
}

interface RealmAnswer {
  readonly key: string;
  readonly state: RealmState;
}

const MAX_NONCE_COUNT = 0xffffffff;

function stateKey(kind: ChallengeKind, realm: string): string {
  return `${kind}\n${realm}`;
}

function defaultCnonce(): string {
  return randomBytes(16).toString('hex');
}

export class DigestClient {
  private readonly credentials: readonly DigestCredentials[];
  private readonly formatRequestUri: (uri: Uri) => string;
  private readonly logger: Logger;
  private readonly createCnonce: () => string;
  private readonly allowed: ReadonlySet<DigestAlgorithmName>;
  private readonly realms = new Map<string, RealmState>();

  constructor(options: DigestClientOptions) {
    const list: readonly DigestCredentials[] = Array.isArray(options.credentials)
      ? (options.credentials as readonly DigestCredentials[])
      : [options.credentials as DigestCredentials];
    for (const entry of list) {
      if (/[\r\n\0]/.test(entry.username)) throw new RangeError('username cannot contain CR, LF or NUL');
    }
    this.credentials = list;
    this.formatRequestUri = options.formatRequestUri;
    this.logger = options.logger ?? silentLogger;
    this.createCnonce = options.createCnonce ?? defaultCnonce;
    this.allowed = new Set(options.allowedAlgorithms ?? SUPPORTED_DIGEST_ALGORITHMS);
  }

  /**
   * RFC 3261 §22.2 (401, `WWW-Authenticate` → `Authorization`) and §22.3
   * (407, `Proxy-Authenticate` → `Proxy-Authorization`): the credentials the
   * re-sent request must carry, one field per challenged realm (RFC 3261
   * §22.3: several proxies may each challenge). Both challenge headers are
   * honoured whatever the status, since a forking proxy aggregates them
   * (RFC 3261 §16.7 step 6). Realms the request already carried credentials
   * for and that were not challenged again are answered again from the cache.
   *
   * All or nothing: if any challenged realm cannot be answered, the request
   * cannot succeed and the failure names that realm.
   */
  handleChallenge({ request, response }: ChallengedRequest): DigestAuthOutcome {
    if (response.status !== 401 && response.status !== 407) {
      return this.fail({ reason: 'not-a-challenge', message: `status ${response.status} is not a challenge` });
    }
    const groups = this.groupChallenges(response);
    if (!groups.ok) return this.fail(groups.failure);
    const sent = readSentCredentials(request);
    const updates: RealmAnswer[] = [];
    for (const [key, group] of groups.byRealm) {
      const answer = this.planRealm(group.kind, group.realm, group.challenges, sent);
      if (!answer.ok) return this.fail(answer.failure);
      updates.push({ key, state: answer.state });
    }
    for (const { key, state } of updates) this.realms.set(key, state);
    const headers: Header[] = [];
    for (const { state } of updates) {
      const header = this.answer(state, request);
      if (header !== null) headers.push(header);
    }
    // Credentials the request carried for realms not challenged this time still belong on it.
    for (const previous of sent) {
      const key = stateKey(previous.kind, previous.realm);
      if (groups.byRealm.has(key)) continue;
      const state = this.realms.get(key);
      const header = state === undefined ? null : this.answer(state, request);
      if (header !== null) headers.push(header);
    }
    return { ok: true, headers, realms: updates.map((u) => u.state.challenge.realm) };
  }

  /**
   * Credentials for a new request from the cached challenges (RFC 7616 §3.4:
   * a nonce may be reused with an incremented nc), so a refresh REGISTER or
   * an in-dialog request need not be challenged again. Empty when nothing is
   * cached. If the nonce has expired, the server answers 401/407 with
   * `stale=true` (or a fresh challenge) and `handleChallenge` deals with it.
   */
  authorize(request: SipRequest): Header[] {
    const headers: Header[] = [];
    for (const state of this.realms.values()) {
      const header = this.answer(state, request);
      if (header !== null) headers.push(header);
    }
    return headers;
  }

  /** Forgets every cached challenge (account change, unregistration). */
  reset(): void {
    this.realms.clear();
  }

  private fail(failure: DigestAuthFailure): DigestAuthOutcome {
    const fields: Record<string, unknown> = { reason: failure.reason };
    if ('realm' in failure) fields.realm = failure.realm;
    this.logger.warn(`digest authentication failed: ${failure.message}`, fields);
    return { ok: false, failure };
  }

  private groupChallenges(
    response: SipResponse,
  ):
    | { ok: true; byRealm: Map<string, { kind: ChallengeKind; realm: string; challenges: DigestChallenge[] }> }
    | { ok: false; failure: DigestAuthFailure } {
    const byRealm = new Map<string, { kind: ChallengeKind; realm: string; challenges: DigestChallenge[] }>();
    const parseErrors: string[] = [];
    const otherSchemes: string[] = [];
    for (const kind of CHALLENGE_KINDS) {
      const parsed = parseDigestChallenges(getHeaderValues(response, CHALLENGE_HEADER[kind]));
      parseErrors.push(...parsed.errors.map((e) => `${CHALLENGE_HEADER[kind]}: ${e}`));
      otherSchemes.push(...parsed.otherSchemes);
      for (const challenge of parsed.challenges) {
        const key = stateKey(kind, challenge.realm);
        const group = byRealm.get(key);
        if (group === undefined) byRealm.set(key, { kind, realm: challenge.realm, challenges: [challenge] });
        else group.challenges.push(challenge);
      }
    }
    if (parseErrors.length > 0) this.logger.debug('ignored unreadable challenge text', { errors: parseErrors });
    if (byRealm.size > 0) return { ok: true, byRealm };
    const schemes = otherSchemes.length > 0 ? ` (offered: ${otherSchemes.join(', ')})` : '';
    return {
      ok: false,
      failure: {
        reason: 'no-digest-challenge',
        message: `${response.status} without a usable Digest challenge${schemes}`,
        parseErrors,
        otherSchemes,
      },
    };
  }

  private credentialsFor(realm: string): DigestCredentials | undefined {
    return this.credentials.find((c) => c.realm === realm) ?? this.credentials.find((c) => c.realm === undefined);
  }

  /** Decides how to answer one realm's challenges, without touching the cache. */
  private planRealm(
    kind: ChallengeKind,
    realm: string,
    challenges: readonly DigestChallenge[],
    sent: readonly SentDigestCredentials[],
  ): { ok: true; state: RealmState } | { ok: false; failure: DigestAuthFailure } {
    const credentials = this.credentialsFor(realm);
    if (credentials === undefined) {
      return { ok: false, failure: { reason: 'missing-credentials', realm, message: `no credentials for realm "${realm}"` } };
    }
    const selection = selectChallenge(challenges, this.allowed);
    if (!selection.ok) {
      const message = `realm "${realm}": ${selection.reasons.join('; ')}`;
      return { ok: false, failure: { reason: 'unsupported-challenge', realm, algorithms: selection.algorithms, message } };
    }
    const { challenge, algorithm, qop } = selection.choice;
    const previous = sent.find((s) => s.kind === kind && s.realm === realm);
    const key = stateKey(kind, realm);
    const cached = this.realms.get(key);
    if (previous !== undefined) {
      const rejection = this.rejection(previous, challenge, cached);
      if (rejection !== null) {
        return { ok: false, failure: { reason: 'credentials-rejected', realm, message: `realm "${realm}": ${rejection}` } };
      }
    }
    this.logger.info('answering digest challenge', {
      realm,
      kind,
      algorithm,
      qop: qop ?? 'none',
      stale: challenge.stale,
    });
    // Same nonce as cached: keep counting (RFC 7616 §3.4: nc never repeats for a nonce).
    if (cached !== undefined && cached.challenge.nonce === challenge.nonce && cached.algorithm === algorithm) {
      return { ok: true, state: { ...cached, challenge, qop, credentials } };
    }
    return { ok: true, state: { kind, challenge, algorithm, qop, credentials, nonceCount: 0, sessionCnonce: null } };
  }

  /**
   * Whether a challenge to credentials we already sent means they are wrong.
   *
   * RFC 7616 §3.3 `stale`: true means the digest was right and only the nonce
   * too old, so retry with the new nonce; but a stale challenge repeating the
   * very nonce just answered would loop. A non-stale challenge to credentials
   * computed on a nonce's first use (nc=1: a direct answer to a challenge)
   * means the username or password is wrong (RFC 3261 §22.2: do not retry the
   * same credentials). A non-stale challenge to a reused cached nonce (nc>1)
   * is taken as an expired nonce from a server that does not set `stale`, and
   * answered once: that answer has nc=1, so a further rejection is final.
   */
  private rejection(previous: SentDigestCredentials, challenge: DigestChallenge, cached: RealmState | undefined): string | null {
    if (challenge.stale) {
      return challenge.nonce === previous.nonce ? 'stale=true with the nonce that was just answered' : null;
    }
    if (challenge.nonce === previous.nonce) return 'challenged again with the nonce that was just answered';
    let firstUse: boolean;
    if (previous.nonceCount !== null) firstUse = previous.nonceCount === 1;
    else firstUse = cached !== undefined && cached.challenge.nonce === previous.nonce && cached.nonceCount <= 1;
    return firstUse ? 'credentials rejected (new challenge without stale=true)' : null;
  }

  /** One credentials field for this request, advancing the nonce count; null once the count is exhausted. */
  private answer(state: RealmState, request: SipRequest): Header | null {
    if (state.nonceCount >= MAX_NONCE_COUNT) {
      this.realms.delete(stateKey(state.kind, state.challenge.realm));
      return null;
    }
    state.nonceCount += 1;
    const info = lookupDigestAlgorithm(state.algorithm);
    let cnonce: string | null = null;
    if (state.qop !== null) {
      if (info?.session === true) {
        state.sessionCnonce ??= this.createCnonce();
        cnonce = state.sessionCnonce;
      } else {
        cnonce = this.createCnonce();
      }
    }
    const { challenge } = state;
    const value = buildDigestCredentials({
      algorithm: state.algorithm,
      username: state.credentials.username,
      password: state.credentials.password,
      realm: challenge.realm,
      nonce: challenge.nonce,
      method: request.method,
      digestUri: this.formatRequestUri(request.uri),
      qop: state.qop,
      nonceCount: state.nonceCount,
      cnonce,
      body: request.body,
      opaque: challenge.opaque,
      includeAlgorithm: challenge.algorithmToken !== null,
      userhash: challenge.userhash,
    });
    return { name: CREDENTIALS_HEADER[state.kind], value };
  }
}

/**
 * Replaces a request's `Authorization` and `Proxy-Authorization` fields with
 * the given ones (the result of `handleChallenge` or `authorize`).
 */
export function setAuthorizationHeaders(request: SipRequest, headers: readonly Header[]): void {
  removeHeader(request, 'Authorization');
  removeHeader(request, 'Proxy-Authorization');
  for (const header of headers) appendHeader(request, header.name, header.value);
}
