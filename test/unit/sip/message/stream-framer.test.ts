import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamFramer, type FramedItem } from '../../../../firmware/sip/message/stream-framer.ts';

function message(body: string, contentLengthHeader = `Content-Length: ${Buffer.byteLength(body)}`): string {
  return `OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n${contentLengthHeader}\r\n\r\n${body}`;
}

function kinds(items: FramedItem[]): string[] {
  return items.map((item) => item.kind);
}

test('RFC 3261 §18.3: messages are framed by Content-Length across arbitrary chunking', () => {
  const wire = message('hello') + message('') + message('world!', 'l: 6');
  for (const size of [1, 2, 3, 7, 50, wire.length]) {
    const framer = new StreamFramer();
    const items: FramedItem[] = [];
    for (let i = 0; i < wire.length; i += size) items.push(...framer.push(Buffer.from(wire.slice(i, i + size))));
    const messages = items.filter((item): item is Extract<FramedItem, { kind: 'message' }> => item.kind === 'message');
    assert.deepEqual(messages.map((m) => m.bytes.toString()), [message('hello'), message(''), message('world!', 'l: 6')], `chunk size ${size}`);
    assert.equal(framer.bufferedBytes, 0);
  }
});

test('RFC 5626 §3.5.1: CRLFCRLF is a ping, a single CRLF a pong', () => {
  const framer = new StreamFramer();
  assert.deepEqual(kinds(framer.push(Buffer.from('\r\n\r\n'))), ['keepalive-ping']);
  assert.deepEqual(kinds(framer.push(Buffer.from('\r\n'))), ['keepalive-pong']);
  assert.deepEqual(kinds(framer.push(Buffer.from('\r\n' + message('')))), ['keepalive-pong', 'message']);
});

test('RFC 3261 §18.3: a stream message without Content-Length is a framing error, then the framer stays failed', () => {
  const framer = new StreamFramer();
  const items = framer.push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n'));
  assert.deepEqual(kinds(items), ['error']);
  assert.match((items[0] as { reason: string }).reason, /missing Content-Length/);
  assert.deepEqual(framer.push(Buffer.from(message(''))), []);
});

test('RFC 3261 §20.14: malformed or conflicting Content-Length is a framing error', () => {
  assert.deepEqual(kinds(new StreamFramer().push(Buffer.from(message('', 'Content-Length: -1')))), ['error']);
  assert.deepEqual(kinds(new StreamFramer().push(Buffer.from(message('', 'Content-Length: 1\r\nl: 2')))), ['error']);
});

test('limits: header section, message size and buffered bytes are bounded', () => {
  const headers = new StreamFramer({ maxHeaderBytes: 100 });
  assert.deepEqual(kinds(headers.push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nX: ' + 'a'.repeat(200)))), ['error']);
  const size = new StreamFramer({ maxMessageBytes: 200 });
  assert.deepEqual(kinds(size.push(Buffer.from(message('', 'Content-Length: 100000')))), ['error']);
  const buffered = new StreamFramer({ maxMessageBytes: 1000, maxBufferedBytes: 50 });
  assert.deepEqual(kinds(buffered.push(Buffer.from(message('').slice(0, 60)))), ['error']);
});
