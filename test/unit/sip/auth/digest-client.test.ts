import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  DigestClient,
  setAuthorizationHeaders,
  type DigestAuthOutcome,
  type DigestClientOptions,
} from '../../../../firmware/sip/auth/digest-client.ts';
import { parseAuthField } from '../../../../firmware/sip/auth/auth-params.ts';
import { createLogger, MemorySink } from '../../../../firmware/log/logger.ts';
import type { Header, SipRequest, SipResponse, Uri } from '../../../../firmware/sip/message/types.ts';

function h(hashName: string, data: string | Buffer): string {
  return createHash(hashName).update(data).digest('hex');
}

function sipUri(user: string | null, host: string): Uri {
  return { scheme: 'sip', user, password: null, host, port: null, params: new Map(), headers: new Map() };
}

/** Test-local Request-URI serialiser (enough for these URIs). */
function formatRequestUri(uri: Uri): string {
  if (uri.scheme === 'other') return uri.text;
  if (uri.scheme === 'tel') return `tel:${uri.number}`;
  return `${uri.scheme}:${uri.user === null ? '' : `${uri.user}@`}${uri.host}`;
}

function request(method: string, uri: Uri, headers: Header[] = [], body: Buffer = Buffer.alloc(0)): SipRequest {
  return { kind: 'request', version: 'SIP/2.0', method, uri, headers: [...headers], body };
}

function response(status: number, headers: Header[]): SipResponse {
  return { kind: 'response', version: 'SIP/2.0', status, reason: status === 401 ? 'Unauthorized' : 'Proxy Authentication Required', headers, body: Buffer.alloc(0) };
}

function www(value: string): Header {
  return { name: 'WWW-Authenticate', value };
}

function proxy(value: string): Header {
  return { name: 'Proxy-Authenticate', value };
}

function params(header: Header | undefined): ReadonlyMap<string, string> {
  assert.ok(header, 'expected a header');
  const item = parseAuthField(header.value).items[0];
  assert.ok(item);
  assert.equal(item.scheme, 'Digest');
  return item.params;
}

function ok(outcome: DigestAuthOutcome): readonly Header[] {
  if (!outcome.ok) assert.fail(`expected success, got ${outcome.failure.reason}: ${outcome.failure.message}`);
  return outcome.headers;
}

function failure(outcome: DigestAuthOutcome) {
  if (outcome.ok) assert.fail('expected a failure');
  return outcome.failure;
}

/** A counter-based cnonce source, so tests know which cnonce went where. */
function cnonces(prefix = 'c'): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

function client(overrides: Partial<DigestClientOptions> = {}): DigestClient {
  return new DigestClient({
    credentials: { username: 'alice', password: 's3cret pa55' },
    formatRequestUri,
    createCnonce: cnonces(),
    ...overrides,
  });
}

/** The request re-sent after a challenge: the new auth headers in place of the old ones. */
function resend(original: SipRequest, headers: readonly Header[]): SipRequest {
  const next = request(original.method, original.uri, original.headers, original.body);
  setAuthorizationHeaders(next, headers);
  return next;
}

/** RFC 7616 §3.4.1 computed independently of the implementation. */
function expectedResponse(options: {
  hash: string;
  user: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  nc: string;
  cnonce: string;
  qop: string;
}): string {
  const ha1 = h(options.hash, `${options.user}:${options.realm}:${options.password}`);
  const ha2 = h(options.hash, `${options.method}:${options.uri}`);
  return h(options.hash, `${ha1}:${options.nonce}:${options.nc}:${options.cnonce}:${options.qop}:${ha2}`);
}

test('RFC 7616 §3.9.1: the example 401 (SHA-256 and MD5 challenges) is answered with SHA-256 and the published response', () => {
  const digest = client({
    credentials: { username: 'Mufasa', password: 'Circle of Life' },
    createCnonce: () => 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  });
  const sent = request('GET', { scheme: 'other', otherScheme: 'http', text: '/dir/index.html' });
  const challenge = (algorithm: string) =>
    www(
      `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, ` +
        'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
  const headers = ok(digest.handleChallenge({ request: sent, response: response(401, [challenge('SHA-256'), challenge('MD5')]) }));
  assert.equal(headers.length, 1);
  assert.equal(headers[0]?.name, 'Authorization');
  const p = params(headers[0]);
  assert.equal(p.get('algorithm'), 'SHA-256');
  assert.equal(p.get('qop'), 'auth');
  assert.equal(p.get('nc'), '00000001');
  assert.equal(p.get('uri'), '/dir/index.html');
  assert.equal(p.get('opaque'), 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS');
  assert.equal(p.get('response'), '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
});

test('RFC 7616 §3.9.1: with only the MD5 challenge, the published MD5 response', () => {
  const digest = client({
    credentials: { username: 'Mufasa', password: 'Circle of Life' },
    createCnonce: () => 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  });
  const sent = request('GET', { scheme: 'other', otherScheme: 'http', text: '/dir/index.html' });
  const headers = ok(
    digest.handleChallenge({
      request: sent,
      response: response(401, [
        www('Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"'),
      ]),
    }),
  );
  assert.equal(params(headers[0]).get('response'), '8ca523f5e9506fed4657c9700eebdbec');
});

test('RFC 3261 §22.2 / §10.2: REGISTER 401 answered, then a refresh REGISTER is pre-authenticated with nc=2 (RFC 7616 §3.4)', () => {
  const digest = client();
  const registrar = sipUri(null, 'biloxi.com');
  const register = request('REGISTER', registrar);
  const challenge = www('Digest realm="biloxi.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", qop="auth", algorithm=MD5, opaque="op"');
  const headers = ok(digest.handleChallenge({ request: register, response: response(401, [challenge]) }));
  const first = params(headers[0]);
  assert.equal(first.get('uri'), 'sip:biloxi.com');
  assert.equal(first.get('nc'), '00000001');
  assert.equal(first.get('cnonce'), 'c1');
  assert.equal(
    first.get('response'),
    expectedResponse({ hash: 'md5', user: 'alice', realm: 'biloxi.com', password: 's3cret pa55', method: 'REGISTER', uri: 'sip:biloxi.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', nc: '00000001', cnonce: 'c1', qop: 'auth' }),
  );
  const refresh = digest.authorize(request('REGISTER', registrar));
  assert.equal(refresh.length, 1);
  const second = params(refresh[0]);
  assert.equal(refresh[0]?.name, 'Authorization');
  assert.equal(second.get('nonce'), 'dcd98b7102dd2f0e8b11d0f600bfb0c093');
  assert.equal(second.get('nc'), '00000002');
  assert.equal(second.get('cnonce'), 'c2');
  assert.equal(
    second.get('response'),
    expectedResponse({ hash: 'md5', user: 'alice', realm: 'biloxi.com', password: 's3cret pa55', method: 'REGISTER', uri: 'sip:biloxi.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', nc: '00000002', cnonce: 'c2', qop: 'auth' }),
  );
  assert.equal(params(digest.authorize(request('REGISTER', registrar))[0]).get('nc'), '00000003');
});

test('RFC 3261 §22.3: 407 is answered with Proxy-Authorization; authorize() is empty before any challenge', () => {
  const digest = client();
  const invite = request('INVITE', sipUri('bob', 'biloxi.com'));
  assert.deepEqual(digest.authorize(invite), []);
  const headers = ok(
    digest.handleChallenge({ request: invite, response: response(407, [proxy('Digest realm="atlanta.com", nonce="p1", qop="auth"')]) }),
  );
  assert.equal(headers.length, 1);
  assert.equal(headers[0]?.name, 'Proxy-Authorization');
  assert.equal(params(headers[0]).get('uri'), 'sip:bob@biloxi.com');
});

test('RFC 3261 §16.7 step 6: an aggregated response with both challenge kinds gets one field per realm and kind', () => {
  const digest = client();
  const invite = request('INVITE', sipUri('bob', 'biloxi.com'));
  const outcome = digest.handleChallenge({
    request: invite,
    response: response(407, [
      proxy('Digest realm="atlanta.com", nonce="p1", qop="auth"'),
      www('Digest realm="biloxi.com", nonce="w1", qop="auth"'),
      proxy('Digest realm="transit.example", nonce="p2", qop="auth"'),
    ]),
  });
  const headers = ok(outcome);
  assert.deepEqual(
    headers.map((x) => [x.name, params(x).get('realm')]),
    [
      ['Authorization', 'biloxi.com'],
      ['Proxy-Authorization', 'atlanta.com'],
      ['Proxy-Authorization', 'transit.example'],
    ],
  );
  assert.ok(outcome.ok && outcome.realms.length === 3);
});

test('RFC 3261 §22.3: credentials for a realm challenged earlier stay on the request when another realm challenges', () => {
  const digest = client();
  const invite = request('INVITE', sipUri('bob', 'biloxi.com'));
  const afterProxy = resend(invite, ok(digest.handleChallenge({ request: invite, response: response(407, [proxy('Digest realm="atlanta.com", nonce="p1", qop="auth"')]) })));
  const headers = ok(digest.handleChallenge({ request: afterProxy, response: response(401, [www('Digest realm="biloxi.com", nonce="w1", qop="auth"')]) }));
  assert.deepEqual(
    headers.map((x) => [x.name, params(x).get('realm'), params(x).get('nc')]),
    [
      ['Authorization', 'biloxi.com', '00000001'],
      ['Proxy-Authorization', 'atlanta.com', '00000002'],
    ],
  );
});

test('RFC 7616 §3.3 stale=true: retried with the new nonce, nc restarts at 1, not a failure', () => {
  const digest = client();
  const register = request('REGISTER', sipUri(null, 'biloxi.com'));
  const retry = resend(register, ok(digest.handleChallenge({ request: register, response: response(401, [www('Digest realm="biloxi.com", nonce="n1", qop="auth"')]) })));
  // Later refresh reuses n1 with nc=2...
  const refresh = resend(register, digest.authorize(register));
  assert.equal(params(refresh.headers[0]).get('nc'), '00000002');
  // ...and also a fresh answer (nc=1) may meet a stale nonce.
  for (const sent of [refresh, retry]) {
    const stale = www('Digest realm="biloxi.com", nonce="n2", qop="auth", stale=TRUE');
    const headers = ok(client().handleChallenge({ request: sent, response: response(401, [stale]) }));
    assert.equal(params(headers[0]).get('nonce'), 'n2');
    assert.equal(params(headers[0]).get('nc'), '00000001');
  }
  const headers = ok(digest.handleChallenge({ request: refresh, response: response(401, [www('Digest realm="biloxi.com", nonce="n2", qop="auth", stale=true')]) }));
  assert.equal(params(headers[0]).get('nonce'), 'n2');
  assert.equal(params(headers[0]).get('nc'), '00000001');
  assert.equal(params(digest.authorize(register)[0]).get('nc'), '00000002');
});

test('RFC 7616 §3.3: stale=true repeating the nonce just answered is a failure, not a loop', () => {
  const digest = client();
  const register = request('REGISTER', sipUri(null, 'biloxi.com'));
  const challenge = www('Digest realm="biloxi.com", nonce="n1", qop="auth"');
  const retry = resend(register, ok(digest.handleChallenge({ request: register, response: response(401, [challenge]) })));
  const f = failure(digest.handleChallenge({ request: retry, response: response(401, [www('Digest realm="biloxi.com", nonce="n1", qop="auth", stale=true')]) }));
  assert.equal(f.reason, 'credentials-rejected');
});

test('RFC 3261 §22.2: a non-stale 401 to freshly answered credentials is "credentials rejected" (no retry storm)', () => {
  const digest = client();
  const register = request('REGISTER', sipUri(null, 'biloxi.com'));
  const retry = resend(register, ok(digest.handleChallenge({ request: register, response: response(401, [www('Digest realm="biloxi.com", nonce="n1", qop="auth"')]) })));
  const f = failure(digest.handleChallenge({ request: retry, response: response(401, [www('Digest realm="biloxi.com", nonce="n2", qop="auth"')]) }));
  assert.equal(f.reason, 'credentials-rejected');
  assert.ok('realm' in f && f.realm === 'biloxi.com');
  // Same for RFC 2069-style challenges without qop (no nc on the wire).
  const legacy = client();
  const retry2069 = resend(register, ok(legacy.handleChallenge({ request: register, response: response(401, [www('Digest realm="biloxi.com", nonce="m1"')]) })));
  assert.equal(params(retry2069.headers[0]).has('nc'), false);
  assert.equal(failure(legacy.handleChallenge({ request: retry2069, response: response(401, [www('Digest realm="biloxi.com", nonce="m2"')]) })).reason, 'credentials-rejected');
});

test('RFC 7616 §3.4: a non-stale challenge to a reused cached nonce is answered once; a second one is final', () => {
  const digest = client();
  const register = request('REGISTER', sipUri(null, 'biloxi.com'));
  ok(digest.handleChallenge({ request: register, response: response(401, [www('Digest realm="biloxi.com", nonce="n1", qop="auth"')]) }));
  const refresh = resend(register, digest.authorize(register)); // nc=2 on n1
  const retry = resend(register, ok(digest.handleChallenge({ request: refresh, response: response(401, [www('Digest realm="biloxi.com", nonce="n2", qop="auth"')]) })));
  assert.equal(params(retry.headers[0]).get('nc'), '00000001');
  assert.equal(failure(digest.handleChallenge({ request: retry, response: response(401, [www('Digest realm="biloxi.com", nonce="n3", qop="auth"')]) })).reason, 'credentials-rejected');
});

test('RFC 7616 §3.4: a nonce the server hands out again keeps its count (nc never repeats for a nonce)', () => {
  const digest = client();
  const register = request('REGISTER', sipUri(null, 'biloxi.com'));
  const challenge = www('Digest realm="biloxi.com", nonce="shared", qop="auth"');
  ok(digest.handleChallenge({ request: register, response: response(401, [challenge]) })); // nc=1
  digest.authorize(register); // nc=2
  // An INVITE sent without credentials is challenged with the same nonce.
  const invite = request('INVITE', sipUri('bob', 'biloxi.com'));
  const headers = ok(digest.handleChallenge({ request: invite, response: response(401, [challenge]) }));
  assert.equal(params(headers[0]).get('nc'), '00000003');
});

test('RFC 8760 §2.1 / §2.4: strongest algorithm wins whatever the order (SHA-512-256 > SHA-256 > MD5)', () => {
  const challenges = [
    www('Digest realm="r", nonce="md5", algorithm=MD5, qop="auth"'),
    www('Digest realm="r", nonce="sha256", algorithm=SHA-256, qop="auth"'),
    www('Digest realm="r", nonce="sha512", algorithm=SHA-512-256, qop="auth"'),
  ];
  const sent = request('REGISTER', sipUri(null, 'r'));
  for (const order of [challenges, [...challenges].reverse()]) {
    const p = params(ok(client().handleChallenge({ request: sent, response: response(401, order) }))[0]);
    assert.equal(p.get('algorithm'), 'SHA-512-256');
    assert.equal(p.get('nonce'), 'sha512');
    assert.equal(
      p.get('response'),
      expectedResponse({ hash: 'sha512-256', user: 'alice', realm: 'r', password: 's3cret pa55', method: 'REGISTER', uri: 'sip:r', nonce: 'sha512', nc: '00000001', cnonce: 'c1', qop: 'auth' }),
    );
  }
  // Local policy can forbid a weak algorithm.
  const noMd5 = client({ allowedAlgorithms: ['SHA-256', 'SHA-512-256'] });
  const f = failure(noMd5.handleChallenge({ request: sent, response: response(401, [challenges[0] as Header]) }));
  assert.equal(f.reason, 'unsupported-challenge');
});

test('RFC 7616 §3.3 qop selection: auth over none, auth over auth-int, auth-int when it is the only one', () => {
  const sent = request('MESSAGE', sipUri('bob', 'r'), [], Buffer.from('hello'));
  const pick = (...values: string[]) => params(ok(client().handleChallenge({ request: sent, response: response(401, values.map(www)) }))[0]);
  const preferAuth = pick('Digest realm="r", nonce="none"', 'Digest realm="r", nonce="withqop", qop="auth"');
  assert.equal(preferAuth.get('nonce'), 'withqop');
  assert.equal(pick('Digest realm="r", nonce="n", qop="auth-int,auth"').get('qop'), 'auth');
  const intOnly = pick('Digest realm="r", nonce="n", qop="auth-int"');
  assert.equal(intOnly.get('qop'), 'auth-int');
  const ha1 = h('md5', 'alice:r:s3cret pa55');
  const ha2 = h('md5', `MESSAGE:sip:bob@r:${h('md5', 'hello')}`);
  assert.equal(intOnly.get('response'), h('md5', `${ha1}:n:00000001:c1:auth-int:${ha2}`));
  // No qop at all: RFC 2069 form, no cnonce.
  const none = pick('Digest realm="r", nonce="n"');
  assert.equal(none.has('qop'), false);
  assert.equal(none.has('cnonce'), false);
});

test('RFC 7616 §3.4.2: -sess keeps one cnonce per nonce; -sess offered without qop is skipped', () => {
  const digest = client();
  const sent = request('REGISTER', sipUri(null, 'r'));
  const first = params(ok(digest.handleChallenge({ request: sent, response: response(401, [www('Digest realm="r", nonce="n", algorithm=SHA-256-sess, qop="auth"')]) }))[0]);
  const second = params(digest.authorize(sent)[0]);
  assert.equal(first.get('cnonce'), 'c1');
  assert.equal(second.get('cnonce'), 'c1');
  assert.equal(second.get('nc'), '00000002');
  const sessHa1 = h('sha256', `${h('sha256', 'alice:r:s3cret pa55')}:n:c1`);
  const ha2 = h('sha256', 'REGISTER:sip:r');
  assert.equal(second.get('response'), h('sha256', `${sessHa1}:n:00000002:c1:auth:${ha2}`));
  const fallback = params(
    ok(client().handleChallenge({
      request: sent,
      response: response(401, [www('Digest realm="r", nonce="s", algorithm=SHA-256-sess'), www('Digest realm="r", nonce="m", algorithm=MD5, qop="auth"')]),
    }))[0],
  );
  assert.equal(fallback.get('algorithm'), 'MD5');
});

test('RFC 8760 §2.4: only unsupported algorithms → failure naming them', () => {
  const f = failure(
    client().handleChallenge({
      request: request('REGISTER', sipUri(null, 'ims.example')),
      response: response(401, [www('Digest realm="ims.example", nonce="n", algorithm=AKAv1-MD5, qop="auth"')]),
    }),
  );
  assert.equal(f.reason, 'unsupported-challenge');
  assert.ok('algorithms' in f);
  assert.deepEqual(f.algorithms, ['AKAv1-MD5']);
  assert.ok(f.message.includes('AKAv1-MD5'));
});

test('RFC 3261 §22.1: no credentials for the challenged realm → failure naming the realm', () => {
  const digest = client({ credentials: [{ username: 'alice', password: 'x', realm: 'home.example' }] });
  const f = failure(
    digest.handleChallenge({ request: request('INVITE', sipUri('bob', 'b')), response: response(407, [proxy('Digest realm="elsewhere.example", nonce="n"')]) }),
  );
  assert.equal(f.reason, 'missing-credentials');
  assert.ok('realm' in f && f.realm === 'elsewhere.example');
  assert.ok(f.message.includes('elsewhere.example'));
});

test('credentials: a realm-specific entry wins over the realm-less default', () => {
  const digest = client({
    credentials: [
      { username: 'default-user', password: 'd' },
      { username: 'home-user', password: 'h', realm: 'home.example' },
    ],
  });
  const sent = request('REGISTER', sipUri(null, 'home.example'));
  const headers = ok(
    digest.handleChallenge({
      request: sent,
      response: response(401, [www('Digest realm="home.example", nonce="n", qop="auth"'), www('Digest realm="other", nonce="m", qop="auth"')]),
    }),
  );
  assert.deepEqual(headers.map((x) => params(x).get('username')), ['home-user', 'default-user']);
});

test('RFC 3261 §22.2: not a 401/407, no Digest challenge, or garbage challenges → typed failures, never a throw', () => {
  const sent = request('REGISTER', sipUri(null, 'r'));
  assert.equal(failure(client().handleChallenge({ request: sent, response: response(403, []) })).reason, 'not-a-challenge');
  const basic = failure(client().handleChallenge({ request: sent, response: response(401, [www('Basic realm="r"')]) }));
  assert.equal(basic.reason, 'no-digest-challenge');
  assert.ok('otherSchemes' in basic && basic.otherSchemes.includes('Basic'));
  for (const value of ['', 'Digest', 'Digest realm="r"', '"""', 'Digest realm="r", nonce="n\r\nX: y"', '\\,=,"', 'Digest nonce=']) {
    const outcome = client().handleChallenge({ request: sent, response: response(401, [www(value)]) });
    assert.equal(failure(outcome).reason, 'no-digest-challenge', `for ${JSON.stringify(value)}`);
  }
  assert.equal(failure(client().handleChallenge({ request: sent, response: response(401, []) })).reason, 'no-digest-challenge');
});

test('password, H(A1) and the request-digest never reach the log', () => {
  const sink = new MemorySink();
  const logger = createLogger('sip.auth', { sink, level: 'trace' });
  const password = 'Tr0ub4dor&3-unique';
  const digest = client({ credentials: { username: 'alice', password }, logger });
  const sent = request('REGISTER', sipUri(null, 'r'));
  const headers = ok(digest.handleChallenge({ request: sent, response: response(401, [www('Digest realm="r", nonce="n", qop="auth"')]) }));
  digest.handleChallenge({ request: resend(sent, headers), response: response(401, [www('Digest realm="r", nonce="n2", qop="auth"')]) });
  assert.ok(sink.records.length >= 2, 'the answer and the rejection are logged');
  const logged = JSON.stringify(sink.records);
  assert.equal(logged.includes(password), false);
  assert.equal(logged.includes(h('md5', `alice:r:${password}`)), false);
  assert.equal(logged.includes(params(headers[0]).get('response') ?? 'missing'), false);
});

test('setAuthorizationHeaders replaces old Authorization / Proxy-Authorization fields, leaves the rest', () => {
  const sent = request('INVITE', sipUri('bob', 'b'), [
    { name: 'Via', value: 'SIP/2.0/UDP h;branch=z9hG4bK1' },
    { name: 'Authorization', value: 'Digest old' },
    { name: 'proxy-authorization', value: 'Digest old' },
  ]);
  setAuthorizationHeaders(sent, [{ name: 'Proxy-Authorization', value: 'Digest new' }]);
  assert.deepEqual(sent.headers, [
    { name: 'Via', value: 'SIP/2.0/UDP h;branch=z9hG4bK1' },
    { name: 'Proxy-Authorization', value: 'Digest new' },
  ]);
});

test('default cnonce is random, at least 128 bits of hex', () => {
  const digest = new DigestClient({ credentials: { username: 'a', password: 'b' }, formatRequestUri });
  const sent = request('REGISTER', sipUri(null, 'r'));
  const seen = new Set<string>();
  ok(digest.handleChallenge({ request: sent, response: response(401, [www('Digest realm="r", nonce="n", qop="auth"')]) }));
  for (let i = 0; i < 20; i++) seen.add(params(digest.authorize(sent)[0]).get('cnonce') ?? '');
  assert.equal(seen.size, 20);
  for (const cnonce of seen) assert.match(cnonce, /^[0-9a-f]{32,}$/);
});
