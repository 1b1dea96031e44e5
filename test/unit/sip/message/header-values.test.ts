import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipSyntaxError } from '../../../../firmware/sip/message/errors.ts';
import {
  callId,
  contacts,
  contentLength,
  cseq,
  expires,
  formatCSeq,
  formatNameAddr,
  formatParams,
  formatVia,
  fromHeader,
  fromTag,
  maxForwards,
  parseCSeq,
  parseNameAddr,
  parseParams,
  parseVia,
  toHeader,
  toTag,
  topVia,
  vias,
} from '../../../../firmware/sip/message/header-values.ts';
import type { SipRequest } from '../../../../firmware/sip/message/types.ts';
import { parseUri } from '../../../../firmware/sip/message/uri.ts';

test('RFC 3261 §20.42: Via with transport, sent-by and params', () => {
  const via = parseVia('SIP/2.0/udp pc33.Atlanta.com:5066;branch=z9hG4bK776asdhds;rport;received=192.0.2.1');
  assert.equal(via.protocol, 'SIP/2.0');
  assert.equal(via.transport, 'UDP');
  assert.equal(via.host, 'pc33.atlanta.com');
  assert.equal(via.port, 5066);
  assert.equal(via.params.get('branch'), 'z9hG4bK776asdhds');
  assert.equal(via.params.get('rport'), null);
  assert.equal(formatVia(via), 'SIP/2.0/UDP pc33.atlanta.com:5066;branch=z9hG4bK776asdhds;rport;received=192.0.2.1');
});

test('RFC 4475 §3.1.1.1: LWS around "/", ";" and "=" in Via is allowed', () => {
  const via = parseVia('SIP  / 2.0  / TCP     spindle.example.com   ;  branch  =   z9hG4bK9ikj8');
  assert.equal(via.transport, 'TCP');
  assert.equal(via.host, 'spindle.example.com');
  assert.equal(via.params.get('branch'), 'z9hG4bK9ikj8');
});

test('RFC 5118 §4.5: Via received with a bare or bracketed IPv6 address', () => {
  assert.equal(parseVia('SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bKas3').params.get('received'), '2001:db8::9:255');
  assert.equal(parseVia('SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255];branch=z9hG4bKas3').params.get('branch'), 'z9hG4bKas3');
});

test('RFC 4475 §3.1.2.1: Via with empty parameters is refused', () => {
  assert.throws(() => parseVia('SIP/2.0/UDP 192.0.2.15;;'), SipSyntaxError);
  assert.throws(() => parseVia('SIP/2.0 192.0.2.15'), /expected "\/"/);
  assert.throws(() => parseVia('SIP/2.0/UDP'), /white space before sent-by|expected host/);
});

test('RFC 3261 §20.10: name-addr with quoted display name and header params', () => {
  const from = parseNameAddr('"J Rosenberg \\\\\\"" <sip:jdrosen@example.com;transport=tcp>;tag=98asjd8');
  assert.equal(from.displayName, 'J Rosenberg \\"');
  assert.equal(from.params.get('tag'), '98asjd8');
  assert.ok(from.uri.scheme === 'sip' && from.uri.params.get('transport') === 'tcp');
});

test('RFC 3261 §20.10: in the addr-spec form, params after the URI are header params (RFC 4475 §3.3.12)', () => {
  const contact = parseNameAddr('sip:+19725552222@gw1.example.net;unknownparam');
  assert.ok(contact.uri.scheme === 'sip');
  assert.equal(contact.uri.params.size, 0);
  assert.ok(contact.params.has('unknownparam'));
  assert.equal(contact.displayName, null);
});

test('RFC 4475 §3.1.1.6: a token display name directly followed by "<" is accepted', () => {
  const from = parseNameAddr('caller<sip:caller@example.com>;tag=323');
  assert.equal(from.displayName, 'caller');
});

test('RFC 3261 §20.10: unterminated quotes and missing ">" are refused', () => {
  assert.throws(() => parseNameAddr('"Mr. J. User <sip:j.user@example.com>'), /unterminated quoted string/);
  assert.throws(() => parseNameAddr('<sip:a@b'), /expected ">"/);
});

test('formatNameAddr always writes the name-addr form', () => {
  const value = formatNameAddr({ displayName: 'Bob "B"', uri: parseUri('sip:bob@biloxi.com;lr'), params: new Map([['tag', 'a6c85cf']]) });
  assert.equal(value, '"Bob \\"B\\"" <sip:bob@biloxi.com;lr>;tag=a6c85cf');
  assert.deepEqual(parseNameAddr(value).params.get('tag'), 'a6c85cf');
});

test('RFC 3261 §20.16 / §8.1.1.5: CSeq number below 2^31, leading zeros allowed', () => {
  assert.deepEqual(parseCSeq('0009 INVITE'), { seq: 9, method: 'INVITE' });
  assert.deepEqual(parseCSeq('2147483647 ACK'), { seq: 2147483647, method: 'ACK' });
  assert.throws(() => parseCSeq('2147483648 INVITE'), /below 2\^31/);
  assert.throws(() => parseCSeq('1'), SipSyntaxError);
  assert.throws(() => parseCSeq('1 INVITE x'), SipSyntaxError);
  assert.equal(formatCSeq({ seq: 4711, method: 'BYE' }), '4711 BYE');
});

test('RFC 3261 §25.1: generic params, quoted values kept with quotes, Map only', () => {
  const params = parseParams(';+sip.instance="<urn:uuid:f81d4fae>";reg-id=1;__proto__=x;expires');
  assert.equal(params.get('+sip.instance'), '"<urn:uuid:f81d4fae>"');
  assert.equal(params.get('__proto__'), 'x');
  assert.equal(params.get('expires'), null);
  assert.equal(formatParams(params), ';+sip.instance="<urn:uuid:f81d4fae>";reg-id=1;__proto__=x;expires');
  assert.equal(formatParams(new Map([['note', 'two words']])), ';note="two words"');
});

function request(headers: Array<[string, string]>): SipRequest {
  return {
    kind: 'request',
    method: 'INVITE',
    uri: parseUri('sip:bob@biloxi.com'),
    version: 'SIP/2.0',
    headers: headers.map(([name, value]) => ({ name, value })),
    body: Buffer.alloc(0),
  };
}

test('RFC 3261 §7.3.3: accessors find compact forms and split Via lists', () => {
  const msg = request([
    ['v', 'SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/TCP b.example.com;branch=z9hG4bK2'],
    ['Via', 'SIP/2.0/UDP c.example.com;branch=z9hG4bK3'],
    ['f', '<sip:alice@atlanta.com>;tag=1928301774'],
    ['t', 'Bob <sip:bob@biloxi.com>'],
    ['i', 'a84b4c76e66710@pc33.atlanta.com'],
    ['CSeq', '314159 INVITE'],
    ['m', '<sip:alice@pc33.atlanta.com>, <sip:alice@192.0.2.4>;expires=60'],
    ['Max-Forwards', '70'],
    ['l', '0'],
    ['Expires', '3600'],
  ]);
  assert.equal(topVia(msg).host, 'a.example.com');
  assert.deepEqual(vias(msg).map((v) => v.params.get('branch')), ['z9hG4bK1', 'z9hG4bK2', 'z9hG4bK3']);
  assert.equal(fromTag(msg), '1928301774');
  assert.equal(toTag(msg), undefined);
  assert.equal(toHeader(msg).displayName, 'Bob');
  assert.equal(fromHeader(msg).displayName, null);
  assert.equal(callId(msg), 'a84b4c76e66710@pc33.atlanta.com');
  assert.deepEqual(cseq(msg), { seq: 314159, method: 'INVITE' });
  const list = contacts(msg);
  assert.ok(list !== '*' && list.length === 2 && list[1]?.params.get('expires') === '60');
  assert.equal(maxForwards(msg), 70);
  assert.equal(contentLength(msg), 0);
  assert.equal(expires(msg), 3600);
});

test('RFC 3261 §10.2.2: Contact "*" is returned as the wildcard; a missing Contact is []', () => {
  assert.equal(contacts(request([['Contact', '*']])), '*');
  assert.deepEqual(contacts(request([])), []);
  assert.throws(() => contacts(request([['Contact', '*, <sip:a@b>']])), SipSyntaxError);
});

test('accessors throw SipSyntaxError on missing or malformed mandatory values', () => {
  assert.throws(() => topVia(request([])), /Via: header missing/);
  assert.throws(() => cseq(request([['CSeq', 'x INVITE']])), SipSyntaxError);
  assert.throws(() => maxForwards(request([['Max-Forwards', '256']])), SipSyntaxError);
  assert.throws(() => expires(request([['Expires', '4294967296']])), SipSyntaxError);
  assert.throws(() => contentLength(request([['Content-Length', '-1']])), SipSyntaxError);
  assert.throws(() => callId(request([['Call-ID', 'a b']])), SipSyntaxError);
  assert.equal(maxForwards(request([])), undefined);
});

test('cached values follow header edits: a replaced field is parsed again', () => {
  const msg = request([
    ['Via', 'SIP/2.0/UDP a.example.com;branch=z9hG4bK1'],
    ['From', '<sip:alice@atlanta.com>;tag=1'],
  ]);
  assert.equal(topVia(msg).host, 'a.example.com');
  assert.equal(topVia(msg), topVia(msg), 'second read comes from the cache');
  msg.headers[0] = { name: 'Via', value: 'SIP/2.0/TCP b.example.com;branch=z9hG4bK2' };
  assert.equal(topVia(msg).host, 'b.example.com');
  msg.headers.unshift({ name: 'v', value: 'SIP/2.0/UDP c.example.com;branch=z9hG4bK3' });
  assert.equal(topVia(msg).host, 'c.example.com');
  assert.equal(fromTag(msg), '1');
  msg.headers = msg.headers.map((h) => (h.name === 'From' ? { name: 'From', value: '<sip:alice@atlanta.com>;tag=2' } : h));
  assert.equal(fromTag(msg), '2');
});

test('the parse cache is invisible: parsed messages stay plain data', () => {
  const msg = request([['Via', 'SIP/2.0/UDP a.example.com;branch=z9hG4bK1']]);
  topVia(msg);
  assert.equal(Object.getPrototypeOf(msg), Object.prototype);
  assert.deepEqual(Object.keys(msg), ['kind', 'method', 'uri', 'version', 'headers', 'body']);
  assert.deepEqual(Object.getOwnPropertySymbols(msg), []);
  assert.deepStrictEqual({ ...msg }, msg);
});
