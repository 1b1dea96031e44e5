import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createResponse, defaultReasonPhrase, newBranch, randomToken } from '../../../../firmware/sip/message/build.ts';
import { toTag } from '../../../../firmware/sip/message/header-values.ts';
import { parseMessage } from '../../../../firmware/sip/message/parser.ts';
import type { SipRequest } from '../../../../firmware/sip/message/types.ts';

function request(): SipRequest {
  const text = [
    'INVITE sip:bob@biloxi.com SIP/2.0',
    'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds, SIP/2.0/UDP proxy.example.com;branch=z9hG4bK1',
    'v: SIP/2.0/UDP p2.example.com;branch=z9hG4bK2',
    'Max-Forwards: 70',
    't: Bob <sip:bob@biloxi.com>',
    'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710@pc33.atlanta.com',
    'CSeq: 314159 INVITE',
    'Timestamp: 54',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const result = parseMessage(Buffer.from(text));
  assert.ok(result.ok && result.message.kind === 'request');
  return result.message;
}

test('RFC 3261 §8.2.6.2: the response copies Via (in order), From, To, Call-ID, CSeq and adds a To tag', () => {
  const response = createResponse(request(), 180, undefined, { toTag: 'abc123' });
  assert.equal(response.reason, 'Ringing');
  assert.deepEqual(response.headers, [
    { name: 'Via', value: 'SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds, SIP/2.0/UDP proxy.example.com;branch=z9hG4bK1' },
    { name: 'Via', value: 'SIP/2.0/UDP p2.example.com;branch=z9hG4bK2' },
    { name: 'From', value: 'Alice <sip:alice@atlanta.com>;tag=1928301774' },
    { name: 'To', value: 'Bob <sip:bob@biloxi.com>;tag=abc123' },
    { name: 'Call-ID', value: 'a84b4c76e66710@pc33.atlanta.com' },
    { name: 'CSeq', value: '314159 INVITE' },
  ]);
});

test('RFC 3261 §8.2.6.1: 100 Trying gets no To tag and copies Timestamp', () => {
  const response = createResponse(request(), 100);
  assert.equal(toTag(response), undefined);
  assert.equal(response.headers.at(-1)?.value, '54');
});

test('RFC 3261 §8.2.6.2: a random To tag is added when none is given, and an existing tag is kept', () => {
  const response = createResponse(request(), 200);
  assert.match(toTag(response) ?? '', /^[0-9a-f]{16}$/);
  const again = createResponse({ ...request(), headers: response.headers }, 487);
  assert.equal(toTag(again), toTag(response));
});

test('RFC 3261 §21: standard reason phrases', () => {
  assert.equal(defaultReasonPhrase(200), 'OK');
  assert.equal(defaultReasonPhrase(481), 'Call/Transaction Does Not Exist');
  assert.equal(defaultReasonPhrase(513), 'Message Too Large');
  assert.equal(defaultReasonPhrase(499), 'Client Error');
});

test('RFC 3261 §8.1.1.7: branches start with the magic cookie and carry at least 64 random bits', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const branch = newBranch();
    assert.match(branch, /^z9hG4bK[0-9a-f]{24}$/);
    seen.add(branch);
  }
  assert.equal(seen.size, 1000);
  assert.match(randomToken(4), /^[0-9a-f]{8}$/);
});
