import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../../../firmware/sip/message/parser.ts';
import { serializeMessage } from '../../../../firmware/sip/message/serializer.ts';
import { parseUri } from '../../../../firmware/sip/message/uri.ts';
import type { SipRequest } from '../../../../firmware/sip/message/types.ts';

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
