import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../../../firmware/sip/message/parser.ts';
import { serializeMessage } from '../../../../firmware/sip/message/serializer.ts';
import { parseUri } from '../../../../firmware/sip/message/uri.ts';
import type { SipMessage, SipRequest } from '../../../../firmware/sip/message/types.ts';

test('RFC 3261 §7: a parsed message serializes back byte for byte', () => {
  const text = [
    'OPTIONS sip:carol@chicago.com SIP/2.0',
    'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKhjhs8ass877',
    'Max-Forwards: 70',
    'To: <sip:carol@chicago.com>',
    'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710',
    'CSeq: 63104 OPTIONS',
    'X-Unknown: kept ;; as , is',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const result = parseMessage(Buffer.from(text));
  assert.ok(result.ok);
  assert.equal(serializeMessage(result.message).toString(), text);
});

test('RFC 3261 §20.14: Content-Length is replaced by the real body length, or added', () => {
  const request: SipRequest = {
    kind: 'request',
    method: 'MESSAGE',
    uri: parseUri('sip:bob@biloxi.com'),
    version: 'SIP/2.0',
    headers: [
      { name: 'l', value: '999' },
      { name: 'Content-Length', value: '3' },
      { name: 'Content-Type', value: 'text/plain' },
    ],
    body: Buffer.from('héllo'),
  };
  assert.equal(serializeMessage(request).toString(), 'MESSAGE sip:bob@biloxi.com SIP/2.0\r\nl: 6\r\nContent-Type: text/plain\r\n\r\nhéllo');
  request.headers = [];
  assert.equal(serializeMessage(request).toString(), 'MESSAGE sip:bob@biloxi.com SIP/2.0\r\nContent-Length: 6\r\n\r\nhéllo');
});

test('header injection: a CR or LF in a header value is refused', () => {
  const request: SipRequest = {
    kind: 'request',
    method: 'BYE',
    uri: parseUri('sip:bob@biloxi.com'),
    version: 'SIP/2.0',
    headers: [{ name: 'Subject', value: 'x\r\nVia: SIP/2.0/UDP evil' }],
    body: Buffer.alloc(0),
  };
  assert.throws(() => serializeMessage(request), RangeError);
});

/** The same message rebuilt as fresh objects: no parse cache, so the serializer takes its general path. */
function fresh(message: SipMessage): SipMessage {
  const headers = message.headers.map((h) => ({ name: h.name, value: h.value }));
  return message.kind === 'request'
    ? { kind: 'request', method: message.method, uri: message.uri, version: message.version, headers, body: Buffer.from(message.body) }
    : { kind: 'response', status: message.status, reason: message.reason, version: message.version, headers, body: Buffer.from(message.body) };
}

const WIRE = [
  'INVITE sip:bob@biloxi.com SIP/2.0',
  'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@biloxi.com>',
  'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.atlanta.com',
  'CSeq: 314159 INVITE',
  'Content-Length: 4',
  '',
  'v=0\n',
].join('\r\n');

function parsed(text = WIRE): SipMessage {
  const result = parseMessage(Buffer.from(text));
  if (!result.ok) assert.fail(result.error.reason);
  return result.message;
}

test('RFC 3261 §7: reusing the received bytes gives exactly what the general path writes', () => {
  const message = parsed();
  assert.equal(serializeMessage(message).toString(), WIRE);
  assert.ok(serializeMessage(message).equals(serializeMessage(fresh(message))));
});

test('RFC 3261 §20.14: after an edit the serializer writes the edited message, not the received bytes', () => {
  const added = parsed();
  added.headers.push({ name: 'Subject', value: 'edited' });
  assert.match(serializeMessage(added).toString(), /\r\nSubject: edited\r\n\r\nv=0\n$/);

  const replaced = parsed();
  replaced.headers[2] = { name: 'Max-Forwards', value: '69' };
  assert.match(serializeMessage(replaced).toString(), /\r\nMax-Forwards: 69\r\n/);

  const body = parsed();
  body.body = Buffer.from('v=0\r\no=-\r\n');
  assert.match(serializeMessage(body).toString(), /\r\nContent-Length: 10\r\n\r\nv=0\r\no=-\r\n$/);

  const uri = parsed();
  if (uri.kind !== 'request') assert.fail('request expected');
  uri.uri = parseUri('sip:carol@chicago.com');
  assert.match(serializeMessage(uri).toString(), /^INVITE sip:carol@chicago\.com SIP\/2\.0\r\n/);
});

test('RFC 3261 §20.14: a Content-Length not written as the serializer writes it is rewritten, never copied', () => {
  for (const written of ['04', '004', '4 ']) {
    const text = WIRE.replace('Content-Length: 4', `Content-Length: ${written}`);
    const result = parseMessage(Buffer.from(text));
    if (!result.ok) {
      // Trailing white space makes the line non-canonical or is refused: nothing to reuse either way.
      continue;
    }
    assert.equal(serializeMessage(result.message).toString(), WIRE);
  }
  const zero = WIRE.replace('Content-Length: 4', 'Content-Length: 0').replace(/v=0\n$/, '');
  assert.equal(serializeMessage(parsed(zero)).toString(), zero);
});

test('RFC 3261 §18.3: bytes around the message in the datagram are not copied into its serialization', () => {
  const leading = parsed(`\r\n\r\n${WIRE}`);
  assert.equal(serializeMessage(leading).toString(), WIRE);
  const trailing = parsed(`${WIRE}junk after the body`);
  assert.equal(serializeMessage(trailing).toString(), WIRE);
  const both = parsed(`\r\n${WIRE}xx`);
  assert.equal(serializeMessage(both).toString(), WIRE);
});
