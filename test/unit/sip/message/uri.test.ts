import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipSyntaxError } from '../../../../firmware/sip/message/errors.ts';
import type { SipUri, TelUri } from '../../../../firmware/sip/message/types.ts';
import { formatUri, parseUri, uriEquals } from '../../../../firmware/sip/message/uri.ts';

function sip(text: string): SipUri {
  const uri = parseUri(text);
  assert.ok(uri.scheme === 'sip' || uri.scheme === 'sips', `expected a SIP URI, got ${uri.scheme}`);
  return uri;
}

test('RFC 3261 §19.1.1: user, password, host, port, params and headers are split out', () => {
  const uri = sip('sip:alice:secret@Atlanta.COM:5070;transport=tcp;lr?subject=project%20x&priority=urgent');
  assert.equal(uri.user, 'alice');
  assert.equal(uri.password, 'secret');
  assert.equal(uri.host, 'atlanta.com');
  assert.equal(uri.port, 5070);
  assert.deepEqual([...uri.params], [['transport', 'tcp'], ['lr', null]]);
  assert.deepEqual([...uri.headers], [['subject', 'project x'], ['priority', 'urgent']]);
});

test('RFC 3261 §19.1.1: a URI without user part has user null and port null', () => {
  const uri = sip('sips:registrar.example.com');
  assert.equal(uri.scheme, 'sips');
  assert.equal(uri.user, null);
  assert.equal(uri.password, null);
  assert.equal(uri.port, null);
});

test('RFC 3261 §19.1.2: %-escapes are decoded on parse and re-escaped on format (RFC 4475 §3.1.1.3)', () => {
  const uri = sip('sip:sips%3Auser%40example.com@example.net');
  assert.equal(uri.user, 'sips:user@example.com');
  assert.equal(formatUri(uri), 'sip:sips%3Auser%40example.com@example.net');
  const semi = sip('sip:user;par=u%40example.net@example.com');
  assert.equal(semi.user, 'user;par=u@example.net');
});

test('RFC 4475 §3.1.1.4: %00 in a user part does not truncate it', () => {
  const uri = sip('sip:null-%00-null@example.com');
  assert.equal(uri.user, 'null-\u0000-null');
  assert.equal(formatUri(uri), 'sip:null-%00-null@example.com');
});

test('RFC 3261 §19.1.2: a malformed %-escape is a syntax error', () => {
  assert.throws(() => parseUri('sip:a%4@example.com'), SipSyntaxError);
  assert.throws(() => parseUri('sip:a%zz@example.com'), SipSyntaxError);
});

test('RFC 5118 §4.1/§4.4: IPv6 references keep their brackets, port outside them', () => {
  const uri = sip('sip:[2001:DB8::10]:5070;transport=udp');
  assert.equal(uri.host, '[2001:db8::10]');
  assert.equal(uri.port, 5070);
  assert.equal(formatUri(uri), 'sip:[2001:db8::10]:5070;transport=udp');
});

test('RFC 5118 §4.2: an IPv6 address without brackets is refused', () => {
  assert.throws(() => parseUri('sip:2001:db8::10'), SipSyntaxError);
});

test('RFC 5118 §4.10: the three-colon IPv6 form is tolerated', () => {
  assert.equal(sip('sip:[2001:db8:::192.0.2.1]').host, '[2001:db8:::192.0.2.1]');
});

test('RFC 3261 §25.1: invalid hosts and ports are syntax errors with a precise message', () => {
  assert.throws(() => parseUri('sip:alice@'), /expected host/);
  assert.throws(() => parseUri('sip:alice@host:99999'), /port out of range/);
  assert.throws(() => parseUri('sip:alice@host;;'), /empty parameter name/);
  assert.throws(() => parseUri('sip:alice@ho st'), /unexpected character/);
  assert.throws(() => parseUri('<sip:alice@host>'), /expected a scheme/);
});

test('RFC 3966 §3: tel URIs keep visual separators and parameters', () => {
  const uri = parseUri('tel:+1-201-555-0123;ext=1234;phone-context=example.com') as TelUri;
  assert.equal(uri.scheme, 'tel');
  assert.equal(uri.number, '+1-201-555-0123');
  assert.equal(uri.params.get('ext'), '1234');
  assert.equal(formatUri(uri), 'tel:+1-201-555-0123;ext=1234;phone-context=example.com');
  assert.throws(() => parseUri('tel:+'), SipSyntaxError);
});

test('RFC 3261 §19.1 / RFC 4475 §3.3.2: other schemes are kept verbatim', () => {
  const uri = parseUri('nobodyKnowsThisScheme:totallyopaquecontent');
  assert.deepEqual(uri, { scheme: 'other', otherScheme: 'nobodyknowsthisscheme', text: 'nobodyKnowsThisScheme:totallyopaquecontent' });
  assert.equal(formatUri(uri), 'nobodyKnowsThisScheme:totallyopaquecontent');
  assert.throws(() => parseUri('http://a b'), SipSyntaxError);
});

test('prototype pollution: ;__proto__ and ;constructor params stay in the Map', () => {
  const uri = sip('sip:a@b;__proto__=1;constructor=x?__proto__=y');
  assert.equal(uri.params.get('__proto__'), '1');
  assert.equal(uri.params.get('constructor'), 'x');
  assert.equal(uri.headers.get('__proto__'), 'y');
  assert.equal(({} as Record<string, unknown>)['1'], undefined);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'x'), false);
});

test('RFC 3261 §19.1.4: URI comparison is case-insensitive for host and params, case-sensitive for user', () => {
  assert.ok(uriEquals(parseUri('sip:%61lice@atlanta.com;transport=TCP'), parseUri('sip:alice@AtLanTa.CoM;Transport=tcp')));
  assert.ok(!uriEquals(parseUri('sip:alice@atlanta.com'), parseUri('sip:ALICE@atlanta.com')));
});

test('RFC 3261 §19.1.4: URI comparison never matches sip with sips, nor omitted with explicit port', () => {
  assert.ok(!uriEquals(parseUri('sip:bob@biloxi.com'), parseUri('sips:bob@biloxi.com')));
  assert.ok(!uriEquals(parseUri('sip:bob@biloxi.com'), parseUri('sip:bob@biloxi.com:5060')));
});

test('RFC 3261 §19.1.4: URI comparison ignores a parameter present in only one URI, except user/ttl/method/maddr/transport', () => {
  assert.ok(uriEquals(parseUri('sip:carol@chicago.com'), parseUri('sip:carol@chicago.com;newparam=5')));
  assert.ok(uriEquals(parseUri('sip:carol@chicago.com;security=on'), parseUri('sip:carol@chicago.com;newparam=5')));
  assert.ok(!uriEquals(parseUri('sip:carol@chicago.com'), parseUri('sip:carol@chicago.com;transport=udp')));
  assert.ok(!uriEquals(parseUri('sip:carol@chicago.com;security=on'), parseUri('sip:carol@chicago.com;security=off')));
});

test('RFC 3261 §19.1.4: URI header components must all be present in both URIs', () => {
  assert.ok(uriEquals(parseUri('sip:carol@chicago.com?Subject=next%20meeting'), parseUri('sip:carol@chicago.com?subject=next%20meeting')));
  assert.ok(!uriEquals(parseUri('sip:carol@chicago.com'), parseUri('sip:carol@chicago.com?Subject=next%20meeting')));
});

test('RFC 5118 §4.3: IPv6 hosts compare by address', () => {
  assert.ok(uriEquals(parseUri('sip:[2001:db8:0::1]'), parseUri('sip:[2001:DB8::1]')));
  assert.ok(!uriEquals(parseUri('sip:[2001:db8::1]'), parseUri('sip:[2001:db8::2]')));
});

test('RFC 3966 §4: tel URIs compare without visual separators', () => {
  assert.ok(uriEquals(parseUri('tel:+1-201-555-0123'), parseUri('tel:+1.201.555.0123')));
  assert.ok(!uriEquals(parseUri('tel:+1-201-555-0123'), parseUri('tel:+1-201-555-0124')));
  assert.ok(!uriEquals(parseUri('tel:+12015550123'), parseUri('sip:+12015550123@example.com')));
});
