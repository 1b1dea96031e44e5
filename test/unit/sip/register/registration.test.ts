import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Registration } from '../../../../firmware/sip/register/registration.ts';
import { refreshDelayMs, retryDelayMs, DEFAULT_RETRY_POLICY } from '../../../../firmware/sip/register/registration-timing.ts';
import { createResponse } from '../../../../firmware/sip/message/build.ts';
import { getHeader } from '../../../../firmware/sip/message/headers.ts';
import type { SipRequest, SipResponse } from '../../../../firmware/sip/message/types.ts';
import type { RequestOutcome, RequestSender, SendOptions } from '../../../../firmware/sip/ua/request-sender.ts';
import type { RegistrationChanged } from '../../../../firmware/phone/events.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

type Answer = SipResponse | 'timeout';

/** A registrar played by the test: each REGISTER is answered by the next scripted function. */
class ScriptedRegistrar implements RequestSender {
  readonly received: SipRequest[] = [];
  constructor(private readonly answer: (request: SipRequest, index: number) => Answer) {}

  async send(request: SipRequest, options: SendOptions): Promise<RequestOutcome> {
    const copy: SipRequest = { ...request, headers: [...request.headers] };
    options.prepare?.(copy, { destination: { protocol: 'udp', address: '127.0.0.1', port: 5070 }, local: { host: '127.0.0.1', port: 5060 } });
    copy.headers.unshift({ name: 'Via', value: 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKtest' });
    this.received.push(copy);
    const answer = this.answer(copy, this.received.length - 1);
    if (answer === 'timeout') return { kind: 'failed', cause: 'timeout', reason: 'no answer from 127.0.0.1:5070 (Timer F)', request: copy };
    return { kind: 'response', response: answer, request: copy, destination: { protocol: 'udp', address: '127.0.0.1', port: 5070 } };
  }
}

const line = {
  id: 'line1',
  user: 'alice',
  domain: 'pbx.test',
  displayName: 'Alice',
  registerExpiresSec: 600,
  auth: { username: 'alice', password: 'secret' },
};

function challenge(request: SipRequest, nonce: string, stale = false): SipResponse {
  const response = createResponse(request, 401);
  response.headers.push({ name: 'WWW-Authenticate', value: `Digest realm="pbx.test", nonce="${nonce}", qop="auth", algorithm=MD5${stale ? ', stale=true' : ''}` });
  return response;
}

function ok(request: SipRequest, expiresSec: number): SipResponse {
  const response = createResponse(request, 200);
  response.headers.push({ name: 'Contact', value: `${getHeader(request, 'Contact')};expires=${expiresSec}` });
  return response;
}

/** Checks the digest like a registrar would (RFC 2617 §3.2.2.1, MD5, qop=auth). */
function authorised(request: SipRequest, password: string): boolean {
  const header = getHeader(request, 'Authorization');
  if (!header) return false;
  const field = (name: string) => new RegExp(`${name}="?([^",]+)"?`).exec(header)?.[1] ?? '';
  const md5 = (s: string) => createHash('md5').update(s).digest('hex');
  const ha1 = md5(`${field('username')}:${field('realm')}:${password}`);
  const ha2 = md5(`REGISTER:${field('uri')}`);
  return md5(`${ha1}:${field('nonce')}:${field('nc')}:${field('cnonce')}:auth:${ha2}`) === field('response');
}

function start(registrar: ScriptedRegistrar, clock: FakeClock, overrides: Partial<typeof line> = {}) {
  const events: RegistrationChanged[] = [];
  const registration = new Registration({ line: { ...line, ...overrides }, sender: registrar, clock, onChange: (e) => events.push(e), random: () => 0.5 });
  registration.start();
  return { registration, events };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

test('RFC 3261 §10.2 + §22.2: REGISTER, 401, authorised REGISTER with CSeq+1 and the same Call-ID, 200 → registered', async () => {
  const clock = new FakeClock();
  const registrar = new ScriptedRegistrar((request, i) => (i === 0 ? challenge(request, 'n1') : authorised(request, 'secret') ? ok(request, 300) : createResponse(request, 403)));
  const { registration, events } = start(registrar, clock);
  await flush();
  assert.equal(registration.state, 'registered');
  assert.equal(registration.expiresSec, 300);
  const [first, second] = registrar.received;
  assert.ok(first && second);
  assert.equal(first.uri.scheme === 'sip' && first.uri.user, null, 'Request-URI has no userinfo');
  assert.equal(getHeader(first, 'Call-ID'), getHeader(second, 'Call-ID'));
  assert.equal(getHeader(first, 'CSeq'), '1 REGISTER');
  assert.equal(getHeader(second, 'CSeq'), '2 REGISTER');
  assert.equal(getHeader(second, 'Contact'), '<sip:alice@127.0.0.1:5060>');
  assert.equal(getHeader(second, 'Expires'), '600');
  assert.match(getHeader(second, 'From') ?? '', /^"Alice" <sip:alice@pbx\.test>;tag=\w+$/);
  assert.deepEqual(events.map((e) => e.state), ['registering', 'registered']);
});

test('a registration is refreshed 30 s before it expires, pre-authorised with the next nonce count', async () => {
  const clock = new FakeClock();
  const registrar = new ScriptedRegistrar((request, i) => (i === 0 ? challenge(request, 'n1') : authorised(request, 'secret') ? ok(request, 300) : challenge(request, 'n2')));
  const { registration } = start(registrar, clock);
  await flush();
  assert.equal(registrar.received.length, 2);
  clock.advance(refreshDelayMs(300) - 1);
  await flush();
  assert.equal(registrar.received.length, 2, 'no refresh before 270 s');
  clock.advance(1);
  await flush();
  assert.equal(registrar.received.length, 3);
  const refresh = registrar.received[2];
  assert.ok(refresh);
  assert.match(getHeader(refresh, 'Authorization') ?? '', /nc=00000002/);
  assert.equal(getHeader(refresh, 'CSeq'), '3 REGISTER');
  assert.equal(registration.state, 'registered');
});

test('wrong password: one authorised attempt, then failed naming the realm, and no retry storm', async () => {
  const clock = new FakeClock();
  let nonce = 0;
  const registrar = new ScriptedRegistrar((request) => challenge(request, `n${++nonce}`));
  const { registration, events } = start(registrar, clock, { auth: { username: 'alice', password: 'wrong' } });
  await flush();
  assert.equal(registration.state, 'failed');
  assert.equal(registrar.received.length, 2);
  const failed = events.at(-1);
  assert.equal(failed?.reason, 'credentials rejected by realm "pbx.test" (401 Unauthorized)');
  assert.equal(failed?.statusCode, 401);
  assert.equal(failed?.retryInMs, DEFAULT_RETRY_POLICY.authFailureDelayMs);
  clock.advance(60_000);
  await flush();
  assert.equal(registrar.received.length, 2, 'nothing more sent within a minute');
});

test('RFC 7616 §3.3 stale=true: the new nonce is answered without counting as a failure', async () => {
  const clock = new FakeClock();
  const registrar = new ScriptedRegistrar((request, i) => {
    if (i === 0) return challenge(request, 'n1');
    if (i === 1) return ok(request, 60);
    if (i === 2) return challenge(request, 'n2', true); // the refresh's cached nonce went stale
    return authorised(request, 'secret') && /nonce="n2"/.test(getHeader(request, 'Authorization') ?? '') ? ok(request, 60) : createResponse(request, 403);
  });
  const { registration, events } = start(registrar, clock);
  await flush();
  clock.advance(refreshDelayMs(60));
  await flush();
  assert.equal(registrar.received.length, 4);
  assert.equal(registration.state, 'registered');
  assert.ok(!events.some((e) => e.state === 'failed'));
});

test('RFC 3261 §10.2.8: 423 Interval Too Brief → REGISTER again with Expires = Min-Expires', async () => {
  const clock = new FakeClock();
  const registrar = new ScriptedRegistrar((request) => {
    if (Number(getHeader(request, 'Expires')) < 1800) {
      const response = createResponse(request, 423);
      response.headers.push({ name: 'Min-Expires', value: '1800' });
      return response;
    }
    return ok(request, 1800);
  });
  const { registration } = start(registrar, clock, { auth: undefined });
  await flush();
  assert.equal(registration.state, 'registered');
  assert.deepEqual(registrar.received.map((r) => getHeader(r, 'Expires')), ['600', '1800']);
  assert.equal(registration.expiresSec, 1800);
});

test('server loss: bounded back-off, and registered again within 30 s of the server coming back', async () => {
  const clock = new FakeClock();
  let up = false;
  const registrar = new ScriptedRegistrar((request) => (up ? ok(request, 600) : 'timeout'));
  const { registration, events } = start(registrar, clock, { auth: undefined });
  await flush();
  for (let elapsedMs = 0; elapsedMs < 300_000; elapsedMs += 1000) {
    clock.advance(1000);
    await flush();
  }
  const delays = events.filter((e) => e.state === 'failed').map((e) => e.retryInMs ?? 0);
  assert.ok(delays.length >= 10, `kept retrying (${delays.length} attempts in 5 min)`);
  assert.ok(delays.every((d) => d <= DEFAULT_RETRY_POLICY.maxDelayMs), `every delay ≤ 20 s: ${delays.join(',')}`);
  assert.ok(delays[1]! > delays[0]!, 'delays grow');
  up = true;
  const backAtMs = clock.nowMs();
  while (registration.state !== 'registered' && clock.nowMs() - backAtMs < 60_000) {
    clock.advance(500);
    await flush();
  }
  assert.equal(registration.state, 'registered');
  assert.ok(clock.nowMs() - backAtMs <= 30_000, `back after ${clock.nowMs() - backAtMs} ms`);
});

test('RFC 3261 §20.33: 503 with Retry-After is honoured within the back-off bound', async () => {
  const clock = new FakeClock();
  const registrar = new ScriptedRegistrar((request) => {
    const response = createResponse(request, 503);
    response.headers.push({ name: 'Retry-After', value: '7' });
    return response;
  });
  const { events } = start(registrar, clock, { auth: undefined });
  await flush();
  assert.equal(events.at(-1)?.retryInMs, 7000);
  assert.equal(events.at(-1)?.reason, 'registrar answered 503 Service Unavailable');
});

test('RFC 3261 §10.2.2: stop() removes our binding with Expires: 0 for the same Contact', async () => {
  const clock = new FakeClock();
  const registrar = new ScriptedRegistrar((request) => ok(request, Number(getHeader(request, 'Expires'))));
  const { registration, events } = start(registrar, clock, { auth: undefined });
  await flush();
  assert.equal(registration.state, 'registered');
  await registration.stop();
  assert.equal(registration.state, 'unregistered');
  const last = registrar.received.at(-1);
  assert.ok(last);
  assert.equal(getHeader(last, 'Expires'), '0');
  assert.equal(getHeader(last, 'Contact'), getHeader(registrar.received[0]!, 'Contact'));
  assert.deepEqual(events.map((e) => e.state), ['registering', 'registered', 'unregistering', 'unregistered']);
  assert.equal(clock.pendingCount, 0, 'no timer left behind');
});

test('retryDelayMs doubles from 1 s, caps at 20 s, jitter in [50 %, 100 %]', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 9].map((n) => retryDelayMs(n, DEFAULT_RETRY_POLICY, 1)), [1000, 2000, 4000, 8000, 16000, 20000, 20000]);
  assert.equal(retryDelayMs(3, DEFAULT_RETRY_POLICY, 0), 2000);
  assert.equal(refreshDelayMs(3600), 3_570_000);
  assert.equal(refreshDelayMs(20), 10_000);
});
