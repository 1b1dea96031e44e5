import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDigestChallenges, type DigestChallenge } from '../../../../firmware/sip/auth/digest-challenge.ts';
import { parseAuthField } from '../../../../firmware/sip/auth/auth-params.ts';

function only(values: readonly string[]): DigestChallenge {
  const parsed = parseDigestChallenges(values);
  assert.deepEqual(parsed.errors, []);
  assert.equal(parsed.challenges.length, 1);
  const challenge = parsed.challenges[0];
  assert.ok(challenge);
  return challenge;
}

test('RFC 7616 §3.9.1: the example challenge parses into typed fields', () => {
  const challenge = only([
    'Digest\r\n    realm="http-auth@example.org",\r\n    qop="auth, auth-int",\r\n    algorithm=SHA-256,\r\n' +
      '    nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",\r\n    opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
  ]);
  assert.equal(challenge.realm, 'http-auth@example.org');
  assert.equal(challenge.nonce, '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v');
  assert.equal(challenge.opaque, 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS');
  assert.equal(challenge.algorithm, 'SHA-256');
  assert.equal(challenge.algorithmToken, 'SHA-256');
  assert.deepEqual(challenge.qop, ['auth', 'auth-int']);
  assert.equal(challenge.stale, false);
  assert.equal(challenge.userhash, false);
  assert.equal(challenge.charset, null);
});

test('RFC 3261 §22.4 / RFC 2617 §3.2.1: absent algorithm means MD5; absent qop is an empty list', () => {
  const challenge = only(['Digest realm="atlanta.com", nonce="84a4cc6f3082121f32b42a2187831a9e"']);
  assert.equal(challenge.algorithm, 'MD5');
  assert.equal(challenge.algorithmToken, null);
  assert.deepEqual(challenge.qop, []);
  assert.equal(challenge.opaque, null);
});

test('RFC 7235 §4.1: several challenges in one field, in order', () => {
  const parsed = parseDigestChallenges([
    'Digest realm="biloxi.com", nonce="n1", algorithm=SHA-256, qop="auth", Digest realm="biloxi.com", nonce="n2", algorithm=MD5, qop="auth"',
  ]);
  assert.deepEqual(parsed.errors, []);
  assert.equal(parsed.challenges.length, 2);
  assert.deepEqual(
    parsed.challenges.map((c) => [c.nonce, c.algorithm]),
    [
      ['n1', 'SHA-256'],
      ['n2', 'MD5'],
    ],
  );
});

test('RFC 8760 §2.4: several fields (one per algorithm) keep field order; other schemes are listed, not parsed as Digest', () => {
  const parsed = parseDigestChallenges([
    'Digest realm="r", nonce="a", algorithm=SHA-512-256, qop="auth"',
    'Basic realm="r", Digest realm="r", nonce="b", algorithm=SHA-256, qop="auth"',
    'Bearer dG9rZW4=, Digest realm="r", nonce="c", algorithm=MD5, qop="auth"',
  ]);
  assert.deepEqual(parsed.errors, []);
  assert.deepEqual(parsed.challenges.map((c) => c.nonce), ['a', 'b', 'c']);
  assert.deepEqual(parsed.challenges.map((c) => c.algorithm), ['SHA-512-256', 'SHA-256', 'MD5']);
  assert.deepEqual(parsed.otherSchemes, ['Basic', 'Bearer']);
});

test('RFC 7235 §2.1: scheme, parameter names and algorithm tokens are case-insensitive; BWS around "=" is allowed', () => {
  const challenge = only(['dIgEsT REALM = "r" , Nonce= "n", ALGORITHM =sha-256-SESS, QOP="AUTH", Stale = TRUE']);
  assert.equal(challenge.scheme, 'Digest');
  assert.equal(challenge.realm, 'r');
  assert.equal(challenge.nonce, 'n');
  assert.equal(challenge.algorithm, 'SHA-256-sess');
  assert.equal(challenge.algorithmToken, 'sha-256-SESS');
  assert.deepEqual(challenge.qop, ['auth']);
  assert.equal(challenge.stale, true);
});

test('RFC 7230 §3.2.6: quoted-pairs are unescaped; commas inside quotes do not split', () => {
  const challenge = only(['Digest realm="a \\"quoted\\" realm, with comma", nonce="x\\\\y", opaque=""']);
  assert.equal(challenge.realm, 'a "quoted" realm, with comma');
  assert.equal(challenge.nonce, 'x\\y');
  assert.equal(challenge.opaque, '');
});

test('RFC 7616 §3.3: stale, domain, userhash, charset; unknown parameters are ignored', () => {
  const challenge = only([
    'Digest realm="r", nonce="n", stale=true, domain="sip:a.example sip:b.example", userhash=true, charset=UTF-8, ' +
      'foo="bar", x-vendor=1',
  ]);
  assert.equal(challenge.stale, true);
  assert.deepEqual(challenge.domain, ['sip:a.example', 'sip:b.example']);
  assert.equal(challenge.userhash, true);
  assert.equal(challenge.charset, 'UTF-8');
  assert.equal(only(['Digest realm="r", nonce="n", stale=FALSE']).stale, false);
});

test('RFC 7616 §3.3: unknown algorithm is kept by name with algorithm=null', () => {
  const challenge = only(['Digest realm="ims", nonce="n", algorithm=AKAv1-MD5, qop="auth"']);
  assert.equal(challenge.algorithm, null);
  assert.equal(challenge.algorithmToken, 'AKAv1-MD5');
});

test('server quirks: unquoted values, unquoted base64 nonce, qop lists with spaces or unquoted, missing commas', () => {
  const bare = only(['Digest realm=asterisk, nonce=ab/cd+ef==, qop=auth, algorithm=MD5']);
  assert.equal(bare.realm, 'asterisk');
  assert.equal(bare.nonce, 'ab/cd+ef==');
  assert.deepEqual(bare.qop, ['auth']);
  assert.deepEqual(only(['Digest realm="r", nonce="n", qop=" auth ,  auth-int "']).qop, ['auth', 'auth-int']);
  assert.deepEqual(only(['Digest realm="r", nonce="n", qop=auth,auth-int, opaque="o"']).qop, ['auth', 'auth-int']);
  assert.deepEqual(only(['Digest realm="r", qop=auth auth-int, nonce="n"']).qop, ['auth', 'auth-int']);
  const noCommas = only(['Digest realm="r" nonce="n" algorithm=MD5']);
  assert.equal(noCommas.nonce, 'n');
  assert.equal(noCommas.algorithm, 'MD5');
});

test('RFC 7616 §3.3: a challenge without realm or nonce is reported, the good ones still returned', () => {
  const parsed = parseDigestChallenges([
    'Digest nonce="n1", Digest realm="r2", Digest realm="r3", nonce="", Digest realm="ok", nonce="n4"',
  ]);
  assert.deepEqual(parsed.challenges.map((c) => c.realm), ['ok']);
  assert.equal(parsed.errors.length, 3);
  assert.ok(parsed.errors.some((e) => e.includes('without realm')));
  assert.ok(parsed.errors.some((e) => e.includes('without nonce')));
});

test('RFC 7235 §2.2: a duplicated parameter makes that challenge unusable', () => {
  const parsed = parseDigestChallenges(['Digest realm="a", realm="b", nonce="n"']);
  assert.equal(parsed.challenges.length, 0);
  assert.ok(parsed.errors.some((e) => e.includes('duplicate parameter "realm"')));
});

test('RFC 7235 §2.1: token68 form is recognised (and is not a Digest challenge)', () => {
  const field = parseAuthField('Basic dXNlcjpwYXNz==, Digest realm="r", nonce="n"');
  assert.deepEqual(field.errors, []);
  assert.equal(field.items[0]?.token68, 'dXNlcjpwYXNz==');
  assert.equal(field.items[1]?.params.get('realm'), 'r');
  const parsed = parseDigestChallenges(['Digest abc==']);
  assert.equal(parsed.challenges.length, 0);
  assert.ok(parsed.errors.some((e) => e.includes('token68')));
});

test('RFC 3261 §25.1: CR/LF inside a quoted value is refused, not passed on', () => {
  const parsed = parseDigestChallenges(['Digest realm="evil\r\nVia: x", nonce="n"']);
  assert.equal(parsed.challenges.length, 0);
  assert.ok(parsed.errors.some((e) => e.includes('control character')));
});

test('garbage from the wire never throws and is reported', () => {
  const garbage = [
    '',
    ',,,',
    '"',
    'Digest',
    'Digest realm="unterminated',
    'Digest realm=, nonce=',
    '=== , Digest ,, realm',
    '\\\\\\"\\',
    'Digest realm="r", nonce="n", qop=',
    '\u0000\u0001\uffff Digest \ud800 realm="x"',
    'Digest realm="r", nonce="n" @@@ garbage, Digest realm="s", nonce="m"',
    'Digest realm="r" ,nonce="n\\',
    '"Digest" realm="r"',
    'x'.repeat(10_000),
    'Digest ' + 'a=b, '.repeat(2_000),
  ];
  for (const value of garbage) {
    const parsed = parseDigestChallenges([value]);
    assert.ok(Array.isArray(parsed.challenges));
    // Nothing usable must be explained: an error, or at least the foreign scheme that was seen.
    const explained = parsed.errors.length > 0 || parsed.otherSchemes.length > 0;
    if (parsed.challenges.length === 0) assert.ok(explained, `nothing reported for ${JSON.stringify(value.slice(0, 40))}`);
  }
  // Deterministic fuzz: random bytes mixed with grammar pieces.
  const pieces = ['Digest', ' ', ',', '"', '\\', '=', 'realm', 'nonce', 'qop', 'auth', 'stale', '\t', 'x', '\r\n', 'é'];
  let seed = 12345;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  for (let round = 0; round < 2_000; round++) {
    let value = '';
    const length = next() % 40;
    for (let i = 0; i < length; i++) value += pieces[next() % pieces.length];
    assert.doesNotThrow(() => parseDigestChallenges([value]));
  }
  // Good challenges after garbage are still found.
  const mixed = parseDigestChallenges(['Digest realm="r", nonce="n" @@@ garbage, Digest realm="s", nonce="m"']);
  assert.ok(mixed.challenges.some((c) => c.realm === 's'));
});
