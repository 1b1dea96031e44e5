import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  buildDigestCredentials,
  computeDigestResponse,
  formatNonceCount,
  type DigestCredentialsInput,
  type DigestResponseInput,
} from '../../../../firmware/sip/auth/digest-response.ts';
import { parseAuthField } from '../../../../firmware/sip/auth/auth-params.ts';

/** Independent reference: H() straight from node:crypto, hex. */
function h(hashName: string, data: string | Buffer): string {
  return createHash(hashName).update(data).digest('hex');
}

/** RFC 7616 §3.9.1 example inputs. */
const RFC7616_EXAMPLE = {
  username: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  method: 'GET',
  digestUri: '/dir/index.html',
  qop: 'auth',
  nonceCount: 1,
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
} as const;

const OPAQUE_7616 = 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS';

/** RFC 2617 §3.5 example inputs. */
const RFC2617_EXAMPLE: DigestResponseInput = {
  algorithm: 'MD5',
  username: 'Mufasa',
  password: 'Circle Of Life',
  realm: 'testrealm@host.com',
  nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
  method: 'GET',
  digestUri: '/dir/index.html',
  qop: 'auth',
  nonceCount: 1,
  cnonce: '0a4f113b',
};

function paramsOf(headerValue: string): ReadonlyMap<string, string> {
  const parsed = parseAuthField(headerValue);
  assert.equal(parsed.items.length, 1);
  const item = parsed.items[0];
  assert.ok(item);
  assert.equal(item.scheme, 'Digest');
  assert.deepEqual(item.errors, []);
  return item.params;
}

test('RFC 7616 §3.9.1: MD5, qop=auth example response', () => {
  assert.equal(computeDigestResponse({ ...RFC7616_EXAMPLE, algorithm: 'MD5' }), '8ca523f5e9506fed4657c9700eebdbec');
});

test('RFC 7616 §3.9.1: SHA-256, qop=auth example response', () => {
  assert.equal(
    computeDigestResponse({ ...RFC7616_EXAMPLE, algorithm: 'SHA-256' }),
    '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
  );
});

test('RFC 7616 §3.9.1: SHA-256 Authorization value carries every parameter, quoted per §3.4', () => {
  const value = buildDigestCredentials({
    ...RFC7616_EXAMPLE,
    algorithm: 'SHA-256',
    opaque: OPAQUE_7616,
    includeAlgorithm: true,
    userhash: false,
  });
  assert.match(value, /^Digest /);
  // algorithm, qop and nc are bare tokens; the others quoted-strings.
  assert.match(value, /(^|, |Digest )algorithm=SHA-256(,|$)/);
  assert.match(value, /, qop=auth(,|$)/);
  assert.match(value, /, nc=00000001(,|$)/);
  assert.ok(value.includes(`uri="/dir/index.html"`));
  assert.ok(value.includes(`cnonce="${RFC7616_EXAMPLE.cnonce}"`));
  assert.ok(value.includes(`opaque="${OPAQUE_7616}"`));
  const params = paramsOf(value);
  assert.equal(params.get('username'), 'Mufasa');
  assert.equal(params.get('realm'), 'http-auth@example.org');
  assert.equal(params.get('nonce'), RFC7616_EXAMPLE.nonce);
  assert.equal(params.get('response'), '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  assert.equal(params.has('userhash'), false);
});

test('RFC 2617 §3.5: MD5 qop=auth example response and Authorization value', () => {
  assert.equal(computeDigestResponse(RFC2617_EXAMPLE), '6629fae49393a05397450978507c4ef1');
  const value = buildDigestCredentials({
    ...RFC2617_EXAMPLE,
    opaque: '5ccc069c403ebaf9f0171e9517f40e41',
    includeAlgorithm: false,
    userhash: false,
  });
  const params = paramsOf(value);
  assert.equal(params.get('response'), '6629fae49393a05397450978507c4ef1');
  assert.equal(params.get('cnonce'), '0a4f113b');
  assert.equal(params.get('opaque'), '5ccc069c403ebaf9f0171e9517f40e41');
  assert.equal(params.has('algorithm'), false, 'no algorithm echoed when the challenge named none');
  assert.match(value, /qop=auth, nc=00000001/);
});

test('RFC 2617 §3.2.2.1 (RFC 2069 compatibility): no qop → H(HA1:nonce:HA2), no cnonce/nc sent', () => {
  const input: DigestResponseInput = { ...RFC2617_EXAMPLE, qop: null, cnonce: null };
  const ha1 = h('md5', 'Mufasa:testrealm@host.com:Circle Of Life');
  const ha2 = h('md5', 'GET:/dir/index.html');
  assert.equal(computeDigestResponse(input), h('md5', `${ha1}:${input.nonce}:${ha2}`));
  const params = paramsOf(buildDigestCredentials({ ...input, opaque: null, includeAlgorithm: true, userhash: false }));
  assert.equal(params.has('cnonce'), false);
  assert.equal(params.has('nc'), false);
  assert.equal(params.has('qop'), false);
  assert.equal(params.get('algorithm'), 'MD5');
});

test('RFC 2617 §3.2.2.2: MD5-sess A1 = H(user:realm:pass):nonce:cnonce, computed independently', () => {
  const input: DigestResponseInput = { ...RFC2617_EXAMPLE, algorithm: 'MD5-sess' };
  const ha1 = h('md5', `${h('md5', 'Mufasa:testrealm@host.com:Circle Of Life')}:${input.nonce}:0a4f113b`);
  const ha2 = h('md5', 'GET:/dir/index.html');
  const expected = h('md5', `${ha1}:${input.nonce}:00000001:0a4f113b:auth:${ha2}`);
  assert.equal(computeDigestResponse(input), expected);
  assert.notEqual(expected, '6629fae49393a05397450978507c4ef1', 'the -sess variant must differ from plain MD5');
});

test('RFC 7616 §3.4.2: SHA-256-sess, computed independently', () => {
  const input: DigestResponseInput = { ...RFC7616_EXAMPLE, algorithm: 'SHA-256-sess' };
  const ha1 = h('sha256', `${h('sha256', 'Mufasa:http-auth@example.org:Circle of Life')}:${input.nonce}:${input.cnonce}`);
  const ha2 = h('sha256', 'GET:/dir/index.html');
  assert.equal(computeDigestResponse(input), h('sha256', `${ha1}:${input.nonce}:00000001:${input.cnonce}:auth:${ha2}`));
});

test('RFC 8760 §2.1: SHA-512-256 is FIPS 180-4 SHA-512/256 (FIPS "abc" vector) and gives a 64-hex response', () => {
  // FIPS 180-4 example: SHA-512/256("abc").
  assert.equal(h('sha512-256', 'abc'), '53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23');
  const input: DigestResponseInput = { ...RFC7616_EXAMPLE, algorithm: 'SHA-512-256' };
  const ha1 = h('sha512-256', 'Mufasa:http-auth@example.org:Circle of Life');
  const ha2 = h('sha512-256', 'GET:/dir/index.html');
  const expected = h('sha512-256', `${ha1}:${input.nonce}:00000001:${input.cnonce}:auth:${ha2}`);
  const response = computeDigestResponse(input);
  assert.equal(response, expected);
  assert.match(response, /^[0-9a-f]{64}$/);
  assert.notEqual(response, h('sha512', `${ha1}:${input.nonce}:00000001:${input.cnonce}:auth:${ha2}`).slice(0, 64));
});

test('RFC 7616 §3.4.3 / RFC 3261 §22.4: qop=auth-int hashes the body into A2', () => {
  const body = Buffer.from('v=0\r\no=alice 2890844526 2890844526 IN IP4 host.atlanta.com\r\n', 'utf8');
  const input: DigestResponseInput = {
    ...RFC2617_EXAMPLE,
    method: 'INVITE',
    digestUri: 'sip:bob@biloxi.com',
    qop: 'auth-int',
    body,
  };
  const ha1 = h('md5', 'Mufasa:testrealm@host.com:Circle Of Life');
  const ha2 = h('md5', `INVITE:sip:bob@biloxi.com:${h('md5', body)}`);
  assert.equal(computeDigestResponse(input), h('md5', `${ha1}:${input.nonce}:00000001:0a4f113b:auth-int:${ha2}`));
  // A different body gives a different response; an empty body hashes "".
  assert.notEqual(computeDigestResponse({ ...input, body: Buffer.from('other') }), computeDigestResponse(input));
  const emptyHa2 = h('md5', `INVITE:sip:bob@biloxi.com:${h('md5', '')}`);
  assert.equal(
    computeDigestResponse({ ...input, body: Buffer.alloc(0) }),
    h('md5', `${ha1}:${input.nonce}:00000001:0a4f113b:auth-int:${emptyHa2}`),
  );
});

test('RFC 7616 §3.4.4: userhash sends H(username:realm) as username and userhash=true; response unchanged', () => {
  const base: DigestCredentialsInput = {
    ...RFC7616_EXAMPLE,
    algorithm: 'SHA-256',
    opaque: null,
    includeAlgorithm: true,
    userhash: true,
  };
  const params = paramsOf(buildDigestCredentials(base));
  assert.equal(params.get('username'), h('sha256', 'Mufasa:http-auth@example.org'));
  assert.equal(params.get('userhash'), 'true');
  assert.equal(params.get('response'), '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
});

test('RFC 7616 §3.4: nc is 8 lower-case hex digits and increments change the response', () => {
  assert.equal(formatNonceCount(1), '00000001');
  assert.equal(formatNonceCount(255), '000000ff');
  assert.equal(formatNonceCount(0xffffffff), 'ffffffff');
  assert.throws(() => formatNonceCount(0), RangeError);
  assert.throws(() => formatNonceCount(0x100000000), RangeError);
  const first = computeDigestResponse(RFC2617_EXAMPLE);
  const second = computeDigestResponse({ ...RFC2617_EXAMPLE, nonceCount: 2 });
  const ha1 = h('md5', 'Mufasa:testrealm@host.com:Circle Of Life');
  const ha2 = h('md5', 'GET:/dir/index.html');
  assert.equal(second, h('md5', `${ha1}:${RFC2617_EXAMPLE.nonce}:00000002:0a4f113b:auth:${ha2}`));
  assert.notEqual(first, second);
});

test('RFC 3261 §25.1 quoted-string: quotes and backslashes in values are escaped and read back intact', () => {
  const realm = 'we "quote" \\ and, commas';
  const value = buildDigestCredentials({ ...RFC2617_EXAMPLE, realm, opaque: 'o"p', includeAlgorithm: false, userhash: false });
  assert.ok(value.includes('realm="we \\"quote\\" \\\\ and, commas"'));
  const params = paramsOf(value);
  assert.equal(params.get('realm'), realm);
  assert.equal(params.get('opaque'), 'o"p');
  assert.throws(
    () => buildDigestCredentials({ ...RFC2617_EXAMPLE, username: 'a\r\nVia: x', opaque: null, includeAlgorithm: false, userhash: false }),
    RangeError,
  );
});

test('RFC 2617 §3.2.2: a -sess algorithm without qop is refused (no cnonce may be sent)', () => {
  assert.throws(
    () =>
      buildDigestCredentials({
        ...RFC2617_EXAMPLE,
        algorithm: 'MD5-sess',
        qop: null,
        opaque: null,
        includeAlgorithm: true,
        userhash: false,
      }),
    RangeError,
  );
});
