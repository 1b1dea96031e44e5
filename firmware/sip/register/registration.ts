/**
 * Registration of one line (RFC 3261 §10.2, the UAC side).
 *
 * ```
 *                 start()
 *  unregistered ───────────► registering ──── 2xx ────► registered
 *       ▲                     │   ▲  ▲                    │    │
 *       │        401/407 ─────┘   │  └── refresh timer ───┘    │ (refreshes keep the
 *       │        (answered)       │      flow failure,         │  state "registered")
 *       │        423 (Min-Expires)│      address change        │
 *       │                         │                            │
 *       │           retry timer   │  failure: timeout, 5xx,    │
 *       │         (bounded back-  │  rejected credentials,     │ stop()
 *       │          off, jitter)   │  403, 404...               ▼
 *       │                      failed ◄─────────────────── (refresh failed)
 *       │                                                 unregistering
 *       └──────────────── any final response, or timeout ──────┘
 * ```
 *
 * One REGISTER is in flight at a time. The Call-ID stays the same for every
 * REGISTER of this line to this registrar and the CSeq increases by one each
 * time (RFC 3261 §10.2 "SHOULD"), so the registrar can order refreshes.
 */
import type { Clock, TimerHandle } from '../../core/clock.ts';
import { silentLogger, type Logger } from '../../log/logger.ts';
import type { RegistrationChanged, RegistrationState } from '../../phone/events.ts';
import { DigestClient, setAuthorizationHeaders } from '../auth/digest-client.ts';
import { contacts, expires as expiresHeader } from '../message/accessors.ts';
import { randomToken } from '../message/build.ts';
import { getHeader, setHeader } from '../message/headers.ts';
import { formatNameAddr } from '../message/name-addr.ts';
import { formatUri, uriEquals } from '../message/uri.ts';
import type { SipRequest, SipResponse, SipUri } from '../message/types.ts';
import type { RequestOutcome, RequestSender, SendContext } from '../ua/request-sender.ts';
import type { Destination } from '../transport/types.ts';
import { addressOfRecord, nextHopFor, registrarUriFor, type RegistrationLine } from './registration-line.ts';
import { refreshDelayMs, retryDelayMs, type RetryPolicy, DEFAULT_RETRY_POLICY } from './registration-timing.ts';

export interface RegistrationOptions {
  readonly line: RegistrationLine;
  readonly sender: RequestSender;
  readonly clock: Clock;
  /** Receives every state change, in order. */
  readonly onChange: (event: RegistrationChanged) => void;
  readonly logger?: Logger;
  readonly userAgent?: string;
  readonly retry?: Partial<RetryPolicy>;
  /** In [0, 1): jitter of the retry back-off. Injectable for tests. */
  readonly random?: () => number;
  /** How long `stop()` waits for the un-REGISTER to be answered. */
  readonly unregisterTimeoutMs?: number;
}

/** How many challenge / 423 rounds one registration attempt may go through before it counts as failed. */
const MAX_ROUNDS_PER_ATTEMPT = 4;

export class Registration {
  private currentState: RegistrationState = 'unregistered';
  private readonly callId = `${randomToken(12)}@deskphone`;
  private readonly fromTag = randomToken(8);
  private cseq = 0;
  private requestedExpiresSec: number;
  private readonly auth: DigestClient | undefined;
  private readonly registrarUri: SipUri;
  private readonly nextHop: SipUri;
  private readonly logger: Logger;
  private readonly policy: RetryPolicy;
  private readonly random: () => number;
  private timer: TimerHandle | undefined;
  private consecutiveFailures = 0;
  /** Incremented by stop() and start(): an outcome of an older generation is ignored. */
  private generation = 0;
  private inFlight = false;
  /** The Contact URI registered last, to recognise our binding in a 2xx and to remove it. */
  private boundContact: SipUri | undefined;
  private grantedExpiresSec: number | undefined;
  /** The registrar target last sent to; once registered, the flow to keep alive and watch. */
  private flow: Destination | undefined;

  constructor(private readonly options: RegistrationOptions) {
    const { line } = options;
    this.logger = (options.logger ?? silentLogger).child(line.id);
    this.registrarUri = registrarUriFor(line);
    this.nextHop = nextHopFor(line);
    this.requestedExpiresSec = line.registerExpiresSec;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.random = options.random ?? Math.random;
    this.auth = line.auth
      ? new DigestClient({
          credentials: line.auth.realm === undefined ? { username: line.auth.username, password: line.auth.password } : line.auth,
          formatRequestUri: formatUri,
          logger: this.logger.child('auth'),
        })
      : undefined;
  }

  get state(): RegistrationState {
    return this.currentState;
  }

  get lineId(): string {
    return this.options.line.id;
  }

  /** The expiry the registrar granted last, while registered. */
  get expiresSec(): number | undefined {
    return this.currentState === 'registered' ? this.grantedExpiresSec : undefined;
  }

  /** The target (address, port, transport) that granted the current binding. */
  get flowDestination(): Destination | undefined {
    return this.currentState === 'registered' ? this.flow : undefined;
  }

  /** The registrar target the last REGISTER went to, whatever its outcome. */
  get lastTarget(): Destination | undefined {
    return this.flow;
  }

  /** Starts registering (no-op when already started). */
  start(): void {
    if (this.currentState !== 'unregistered') return;
    this.generation++;
    this.consecutiveFailures = 0;
    this.attempt();
  }

  /**
   * The flow to the registrar failed (TCP/TLS connection lost, keep-alive
   * unanswered) or our public address changed (RFC 3581 `received`/`rport`):
   * register again now rather than at the next refresh (RFC 5626 §4.4).
   */
  refreshNow(reason: string): void {
    if (this.currentState === 'unregistered' || this.currentState === 'unregistering') return;
    if (this.inFlight) return;
    this.logger.info('registering again', { reason });
    this.options.clock.clearTimeout(this.timer);
    this.attempt();
  }

  /**
   * Unregisters (REGISTER with Expires: 0 for our binding, RFC 3261 §10.2.2)
   * and stops. Resolves once the registrar answered, or after the timeout.
   */
  async stop(): Promise<void> {
    const wasBound = this.boundContact !== undefined && (this.currentState === 'registered' || this.currentState === 'registering' || this.currentState === 'failed');
    this.generation++;
    this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (!wasBound) {
      this.setState('unregistered', {});
      return;
    }
    this.setState('unregistering', {});
    const generation = this.generation;
    const request = this.buildRegister(0);
    const timeoutMs = this.options.unregisterTimeoutMs ?? 2000;
    let timeoutHandle: TimerHandle | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timeoutHandle = this.options.clock.setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([this.exchange(request), timedOut]);
    this.options.clock.clearTimeout(timeoutHandle);
    if (generation !== this.generation) return;
    if (outcome === 'timeout') this.logger.warn('unregistration not answered in time', { timeoutMs });
    else if (outcome.kind === 'response' && outcome.response.status >= 300) {
      this.logger.warn('unregistration refused', { status: outcome.response.status, reason: outcome.response.reason });
    }
    this.boundContact = undefined;
    this.setState('unregistered', {});
  }

  private attempt(): void {
    const generation = this.generation;
    if (this.currentState !== 'registered') this.setState('registering', {});
    this.inFlight = true;
    const request = this.buildRegister(this.requestedExpiresSec);
    void this.exchange(request)
      .then((outcome) => {
        this.inFlight = false;
        if (generation === this.generation) this.handleOutcome(outcome);
      })
      .catch((error: unknown) => {
        this.inFlight = false;
        if (generation !== this.generation) return;
        this.logger.error('registration attempt threw', { error });
        this.fail({ reason: `internal error: ${error instanceof Error ? error.message : String(error)}`, delayMs: this.backoffMs() });
      });
  }

  /**
   * Sends the REGISTER and answers what can be answered without giving up:
   * RFC 3261 §22.2 challenges (401/407, including `stale=true`) and
   * RFC 3261 §10.2.8 423 Interval Too Brief. Each re-send is a new
   * transaction with the next CSeq.
   */
  private async exchange(first: SipRequest): Promise<RequestOutcome> {
    let request = first;
    if (this.auth) setAuthorizationHeaders(request, this.auth.authorize(request));
    for (let round = 1; ; round++) {
      const outcome = await this.options.sender.send(request, {
        nextHop: this.nextHop,
        prepare: (prepared, context) => this.prepareForTarget(prepared, context),
      });
      if (outcome.kind !== 'response' || round >= MAX_ROUNDS_PER_ATTEMPT) return outcome;
      const { response } = outcome;

      if ((response.status === 401 || response.status === 407) && this.auth) {
        // The digest client decides: a stale nonce is answered again, rejected credentials are not.
        const answer = this.auth.handleChallenge({ request: outcome.request, response });
        if (!answer.ok) return outcome;
        request = this.nextRequestFrom(outcome.request);
        setAuthorizationHeaders(request, answer.headers);
        continue;
      }

      /**
       * RFC 3261 §10.2.8: "If a UA receives a 423 (Interval Too Brief)
       * response, it MAY retry the registration after making the expiration
       * interval of all contact addresses in the REGISTER request equal to or
       * greater than the expiration interval within the Min-Expires header
       * field of the 423 (Interval Too Brief) response."
       */
      if (response.status === 423) {
        const minExpiresSec = readMinExpires(response);
        const requested = readRequestedExpires(outcome.request) ?? 0;
        if (minExpiresSec === undefined || requested === 0 || minExpiresSec <= requested || minExpiresSec > 86_400) return outcome;
        this.logger.info('registrar asks for a longer interval (423)', { minExpiresSec });
        this.requestedExpiresSec = minExpiresSec;
        request = this.buildRegister(minExpiresSec);
        if (this.auth) setAuthorizationHeaders(request, this.auth.authorize(request));
        continue;
      }
      return outcome;
    }
  }

  private handleOutcome(outcome: RequestOutcome): void {
    if (outcome.kind === 'failed') {
      this.fail({ reason: outcome.reason, delayMs: this.backoffMs() });
      return;
    }
    const { response, request } = outcome;
    const status = response.status;
    if (status >= 200 && status < 300) {
      this.registered(response, request);
      return;
    }
    if (status === 401 || status === 407) {
      // The digest client refused to answer again: wrong credentials, or a challenge we cannot meet.
      const realm = /realm="([^"]*)"/i.exec(getHeader(response, status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate') ?? '')?.[1];
      const reason = this.auth
        ? `credentials rejected${realm !== undefined ? ` by realm "${realm}"` : ''} (${status} ${response.reason})`
        : `registrar requires authentication but line "${this.lineId}" has no credentials (${status})`;
      this.fail({ reason, statusCode: status, delayMs: this.policy.authFailureDelayMs });
      return;
    }
    if (status === 403 || status === 404) {
      this.fail({ reason: `registrar refused the line (${status} ${response.reason})`, statusCode: status, delayMs: this.policy.authFailureDelayMs });
      return;
    }
    /** RFC 3261 §21.5.4 / §20.33: a 503 with Retry-After says when to come back; honour it within bounds. */
    const retryAfterSec = status === 503 || status === 500 ? readRetryAfter(response) : undefined;
    const delayMs =
      retryAfterSec !== undefined ? Math.min(retryAfterSec * 1000, this.policy.maxDelayMs) : this.backoffMs();
    this.fail({ reason: `registrar answered ${status} ${response.reason}`, statusCode: status, delayMs });
  }

  private registered(response: SipResponse, request: SipRequest): void {
    const granted = this.grantedExpiry(response, request);
    this.consecutiveFailures = 0;
    if (granted === 0) {
      this.fail({ reason: 'registrar granted no time to our binding (expires=0)', statusCode: response.status, delayMs: this.backoffMs() });
      return;
    }
    this.grantedExpiresSec = granted;
    const delayMs = refreshDelayMs(granted);
    this.timer = this.options.clock.setTimeout(() => this.attempt(), delayMs);
    this.logger.info('registered', { expiresSec: granted, refreshInMs: delayMs });
    this.setState('registered', { expiresSec: granted, statusCode: response.status });
  }

  /**
   * RFC 3261 §10.2.4: the 2xx lists every binding of the AOR with its
   * `expires`; ours is the one whose URI equals the Contact we sent. Without
   * one, the Expires header; without that, what we asked for.
   */
  private grantedExpiry(response: SipResponse, request: SipRequest): number {
    const fallback = safe(() => expiresHeader(response)) ?? readRequestedExpires(request) ?? this.requestedExpiresSec;
    const listed = safe(() => contacts(response));
    if (!this.boundContact || !Array.isArray(listed)) return fallback;
    for (const contact of listed) {
      if (contact.uri.scheme !== 'other' && uriEquals(contact.uri, this.boundContact)) {
        const value = contact.params.get('expires');
        const parsed = value === undefined || value === null ? NaN : Number(value);
        return Number.isInteger(parsed) && parsed >= 0 ? parsed : fallback;
      }
    }
    return fallback;
  }

  private fail(details: { reason: string; delayMs: number; statusCode?: number }): void {
    this.consecutiveFailures++;
    this.options.clock.clearTimeout(this.timer);
    this.timer = this.options.clock.setTimeout(() => this.attempt(), details.delayMs);
    this.logger.warn('registration failed', { reason: details.reason, statusCode: details.statusCode, retryInMs: details.delayMs });
    this.setState('failed', {
      reason: details.reason,
      retryInMs: details.delayMs,
      ...(details.statusCode !== undefined ? { statusCode: details.statusCode } : {}),
    });
  }

  private backoffMs(): number {
    return retryDelayMs(this.consecutiveFailures + 1, this.policy, this.random());
  }

  private setState(
    state: RegistrationState,
    details: { expiresSec?: number; reason?: string; statusCode?: number; retryInMs?: number },
  ): void {
    const previous = this.currentState;
    // A refresh that succeeds again is still news (new expiry); an unchanged non-registered state is not.
    if (previous === state && state !== 'registered' && state !== 'failed') return;
    this.currentState = state;
    this.options.onChange({ type: 'registration.changed', lineId: this.lineId, state, previous, ...details });
  }

  private buildRegister(expiresSec: number): SipRequest {
    const { line } = this.options;
    const aor = addressOfRecord(line);
    const displayName = line.displayName ?? null;
    const request: SipRequest = {
      kind: 'request',
      method: 'REGISTER',
      uri: this.registrarUri,
      version: 'SIP/2.0',
      headers: [
        { name: 'Max-Forwards', value: '70' },
        { name: 'From', value: `${formatNameAddr({ displayName, uri: aor, params: new Map([['tag', this.fromTag]]) })}` },
        { name: 'To', value: formatNameAddr({ displayName, uri: aor, params: new Map() }) },
        { name: 'Call-ID', value: this.callId },
        { name: 'CSeq', value: `${++this.cseq} REGISTER` },
        { name: 'Contact', value: '<sip:pending>' },
        { name: 'Expires', value: String(expiresSec) },
        { name: 'Allow', value: 'INVITE, ACK, CANCEL, BYE, OPTIONS, NOTIFY, REFER, INFO, UPDATE, PRACK, MESSAGE' },
        { name: 'User-Agent', value: this.options.userAgent ?? 'deskphone' },
      ],
      body: Buffer.alloc(0),
    };
    return request;
  }

  /** RFC 3261 §22.2: the re-sent request is a new transaction with CSeq + 1; everything else is kept. */
  private nextRequestFrom(sent: SipRequest): SipRequest {
    const copy: SipRequest = { ...sent, headers: sent.headers.filter((h) => !/^via$|^v$/i.test(h.name)), body: sent.body };
    setHeader(copy, 'CSeq', `${++this.cseq} REGISTER`);
    return copy;
  }

  /** Per target: the Contact names our address and transport on the path to it (RFC 3261 §10.2.1). */
  private prepareForTarget(request: SipRequest, context: SendContext): void {
    const { line } = this.options;
    this.flow = context.destination;
    const params = new Map<string, string | null>();
    if (context.destination.protocol !== 'udp') params.set('transport', context.destination.protocol);
    const contactUri: SipUri = {
      scheme: 'sip',
      user: line.user,
      password: null,
      host: context.local.host.includes(':') && !context.local.host.startsWith('[') ? `[${context.local.host}]` : context.local.host,
      port: context.local.port,
      params,
      headers: new Map(),
    };
    const requested = readRequestedExpires(request);
    if (requested !== 0) this.boundContact = contactUri;
    const target = requested === 0 && this.boundContact ? this.boundContact : contactUri;
    setHeader(request, 'Contact', formatNameAddr({ displayName: null, uri: target, params: new Map() }));
  }
}

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function readRequestedExpires(request: SipRequest): number | undefined {
  return safe(() => expiresHeader(request));
}

function readMinExpires(response: SipResponse): number | undefined {
  const value = getHeader(response, 'Min-Expires')?.trim();
  return value !== undefined && /^\d{1,10}$/.test(value) ? Number(value) : undefined;
}

function readRetryAfter(response: SipResponse): number | undefined {
  const value = /^\s*(\d{1,10})/.exec(getHeader(response, 'Retry-After') ?? '')?.[1];
  return value === undefined ? undefined : Number(value);
}
