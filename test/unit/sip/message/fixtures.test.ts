/**
 * Byte-exact round trips of realistic wire messages in test/fixtures/sip/,
 * plus the structured values a UA reads from each.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getHeaderValues } from '../../../../firmware/sip/message/headers.ts';
import { callId, contacts, cseq, fromTag, toTag, topVia } from '../../../../firmware/sip/message/header-values.ts';
import { parseMessage } from '../../../../firmware/sip/message/parser.ts';
import { serializeMessage } from '../../../../firmware/sip/message/serializer.ts';
import { StreamFramer } from '../../../../firmware/sip/message/stream-framer.ts';
import type { SipMessage } from '../../../../firmware/sip/message/types.ts';

const fixtureDir = new URL('../../../fixtures/sip/', import.meta.url);

function fixture(name: string): Buffer {
  return readFileSync(fileURLToPath(new URL(name, fixtureDir)));
}

function roundTrip(name: string): SipMessage {
  const bytes = fixture(name);
  const result = parseMessage(bytes);
  if (!result.ok) assert.fail(`${name}: ${result.error.reason}`);
  const out = serializeMessage(result.message);
  assert.ok(out.equals(bytes), `${name} did not round-trip:\n${out.toString()}`);
  return result.message;
}

test('RFC 3261 §7 round trip: INVITE with SDP body', () => {
  const msg = roundTrip('invite-sdp.sip');
  assert.ok(msg.kind === 'request' && msg.method === 'INVITE');
  assert.equal(topVia(msg).params.get('branch'), 'z9hG4bK74bf9');
  assert.equal(fromTag(msg), '9fxced76sl');
  assert.equal(toTag(msg), undefined);
  assert.match(msg.body.toString(), /^v=0\r\n.*a=sendrecv\r\n$/s);
});

test('RFC 3261 §7 round trip: 200 OK with two Record-Route fields (§12.1.2 keeps their order)', () => {
  const msg = roundTrip('ok-200-record-route.sip');
  assert.deepEqual(getHeaderValues(msg, 'record-route'), ['<sip:proxy2.example.net;lr>', '<sip:proxy1.example.com;lr;transport=tcp>', '<sip:edge.example.com;lr>']);
  assert.equal(topVia(msg).params.get('received'), '198.51.100.7');
  assert.equal(toTag(msg), '8321234356');
});

test('RFC 3261 §7 round trip: REGISTER with outbound Contact and Authorization', () => {
  const msg = roundTrip('register.sip');
  const list = contacts(msg);
  assert.ok(list !== '*');
  assert.equal(list[0]?.params.get('+sip.instance'), '"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>"');
  assert.deepEqual(cseq(msg), { seq: 2, method: 'REGISTER' });
});

test('RFC 3261 §7 round trip: 401 with two WWW-Authenticate challenges kept as separate fields', () => {
  const msg = roundTrip('unauthorized-401-two-challenges.sip');
  assert.ok(msg.kind === 'response' && msg.status === 401);
  const challenges = getHeaderValues(msg, 'WWW-Authenticate');
  assert.equal(challenges.length, 2);
  assert.match(challenges[0] ?? '', /algorithm=SHA-256/);
});

test('RFC 3261 §7 round trip: OPTIONS', () => {
  const msg = roundTrip('options.sip');
  assert.equal(callId(msg), 'a84b4c76e66710');
});

test('RFC 3261 §18.3 round trip: a TCP-framed MESSAGE and its 200 OK on one stream', () => {
  const wire = fixture('tcp-message-pair.sip');
  const framer = new StreamFramer();
  const items = [...framer.push(wire.subarray(0, 100)), ...framer.push(wire.subarray(100))];
  assert.deepEqual(items.map((item) => item.kind), ['message', 'message']);
  const rebuilt: Buffer[] = [];
  for (const item of items) {
    assert.ok(item.kind === 'message');
    const result = parseMessage(item.bytes, { transport: 'stream' });
    if (!result.ok) assert.fail(result.error.reason);
    rebuilt.push(serializeMessage(result.message));
  }
  assert.ok(Buffer.concat(rebuilt).equals(wire));
  const first = parseMessage(items[0]?.kind === 'message' ? items[0].bytes : Buffer.alloc(0));
  assert.ok(first.ok && first.message.body.toString() === 'Watson, come here.');
});
