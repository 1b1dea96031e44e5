import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createResponse } from '../../../../firmware/sip/message/build.ts';
import { topVia } from '../../../../firmware/sip/message/header-values.ts';
import { serializeMessage } from '../../../../firmware/sip/message/serializer.ts';
import type { SipRequest } from '../../../../firmware/sip/message/types.ts';
import type { TransportLayer } from '../../../../firmware/sip/transport/transport-layer.ts';
import { responseDestination } from '../../../../firmware/sip/transport/response-destination.ts';
import type { TransportEvent } from '../../../../firmware/sip/transport/transport-events.ts';
import { TransportError } from '../../../../firmware/sip/transport/types.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import {
  nextMessage,
  nextMessages,
  parse,
  portOf,
  RawTcpClient,
  requestText,
  sleep,
  startLayer,
  startRawTcpServer,
} from './fixtures.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function layer(options: Parameters<typeof startLayer>[0] = {}): Promise<TransportLayer> {
  const started = await startLayer(options);
  cleanups.push(() => started.stop());
  return started;
}

async function client(port: number): Promise<RawTcpClient> {
  const connected = await RawTcpClient.connect(port);
  cleanups.push(() => connected.close());
  return connected;
}

test('RFC 3261 §18.3: a message split across TCP chunks is framed by Content-Length', async () => {
  const b = await layer();
  const raw = await client(portOf(b, 'tcp'));
  const text = requestText({ via: 'SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-chunks', body: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n' });
  const arriving = nextMessage(b);
  const cuts = [10, text.indexOf('\r\n\r\n') + 2, text.length - 5];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    await raw.write(text.slice(from, cut));
    from = cut;
    await sleep(20);
  }
  const incoming = await arriving;
  assert.equal(incoming.message.body.toString(), 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n');
  assert.equal(incoming.source.protocol, 'tcp');
  assert.match(incoming.source.connectionId ?? '', /^tcp-\d+$/);
});

test('RFC 3261 §18.3: two messages in one TCP chunk are delivered as two, in order', async () => {
  const b = await layer();
  const raw = await client(portOf(b, 'tcp'));
  const arriving = nextMessages(b, 2);
  await raw.write(requestText({ callId: 'first@test' }) + requestText({ callId: 'second@test', body: 'hello' }));
  const [first, second] = await arriving;
  assert.match(first?.raw.toString() ?? '', /Call-ID: first@test/);
  assert.match(second?.raw.toString() ?? '', /Call-ID: second@test/);
  assert.equal(second?.message.body.toString(), 'hello');
  assert.equal(first?.source.connectionId, second?.source.connectionId);
});

test('RFC 3261 §18.1.1: two requests to the same destination reuse one TCP connection', async () => {
  const a = await layer();
  const b = await layer();
  const opened: TransportEvent[] = [];
  a.events.on('connection-opened', (event) => opened.push(event));
  const arriving = nextMessages(b, 2);
  const destination = { protocol: 'tcp' as const, address: '127.0.0.1', port: portOf(b, 'tcp') };
  const [r1, r2] = await Promise.all([
    a.send(parse(requestText({ via: 'SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-r1' })), destination),
    a.send(parse(requestText({ via: 'SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-r2' })), destination),
  ]);
  const r3 = await a.send(parse(requestText({ via: 'SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-r3' })), destination);
  assert.equal(r1.protocol, 'tcp');
  assert.ok(r1.connectionId);
  assert.equal(r2.connectionId, r1.connectionId);
  assert.equal(r3.connectionId, r1.connectionId);
  assert.equal(opened.length, 1, 'one connection opened');
  const [m1, m2] = await arriving;
  assert.equal(m1?.source.connectionId, m2?.source.connectionId);
  assert.equal(b.connectionCount, 1);
});

test('RFC 3261 §18.2.2: the response goes back on the connection the request arrived on', async () => {
  const b = await layer();
  const raw = await client(portOf(b, 'tcp'));
  const arriving = nextMessage(b);
  // The sent-by port is closed: only the existing connection can carry the response.
  await raw.write(requestText({ via: 'SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK-back' }));
  const incoming = await arriving;
  const destination = responseDestination(incoming.message, incoming.source);
  assert.equal(destination.connectionId, incoming.source.connectionId);
  const result = await b.send(createResponse(incoming.message as SipRequest, 200), destination);
  assert.equal(result.connectionId, incoming.source.connectionId);
  const text = await raw.waitUntil((t) => t.includes('\r\n\r\n'), 3_000, 'the 200');
  assert.ok(text.startsWith('SIP/2.0 200 OK\r\n'));
  assert.match(text, /branch=z9hG4bK-back/);
});

test('RFC 3261 §18.1.1: a large request for UDP is sent over TCP and the top Via says TCP', async () => {
  const a = await layer();
  const b = await layer();
  const arriving = nextMessage(b);
  const request = parse(
    requestText({ via: `SIP/2.0/UDP 127.0.0.1:${portOf(a, 'udp')};branch=z9hG4bK-big;rport`, body: 'x'.repeat(1_500) }),
  );
  assert.ok(serializeMessage(request).length > 1_300);
  const result = await a.send(request, { protocol: 'udp', address: '127.0.0.1', port: portOf(b, 'tcp') });
  assert.equal(result.protocol, 'tcp', 'SendResult tells the caller the protocol used');
  assert.ok(result.connectionId);
  const ourVia = topVia(request);
  assert.equal(ourVia.transport, 'TCP', 'the caller\'s message was rewritten in place');
  assert.equal(ourVia.port, portOf(a, 'tcp'), 'sent-by port is now our TCP port');
  assert.equal(ourVia.params.get('branch'), 'z9hG4bK-big', 'branch unchanged');
  const incoming = await arriving;
  assert.equal(incoming.source.protocol, 'tcp');
  assert.equal(topVia(incoming.message).transport, 'TCP');
});

test('RFC 3261 §18.1.1: a small request stays on UDP; the threshold is configurable', async () => {
  const a = await layer({ udpToTcpThresholdBytes: 2_000 });
  const b = await layer();
  const arriving = nextMessage(b);
  const request = parse(requestText({ body: 'x'.repeat(1_500) }));
  const result = await a.send(request, { protocol: 'udp', address: '127.0.0.1', port: portOf(b, 'udp') });
  assert.equal(result.protocol, 'udp');
  assert.equal(topVia(request).transport, 'UDP');
  assert.equal((await arriving).source.protocol, 'udp');
});

test('RFC 3261 §18.1.1: when the TCP attempt for a large request fails, the caller gets a TransportError', async () => {
  const a = await layer();
  const b = await layer({ tcp: [] });
  const request = parse(requestText({ body: 'x'.repeat(1_500) }));
  await assert.rejects(a.send(request, { protocol: 'udp', address: '127.0.0.1', port: portOf(b, 'udp') }), (error: unknown) => {
    assert.ok(error instanceof TransportError);
    assert.match(error.message, /^TCP send to 127\.0\.0\.1:\d+ failed: .*ECONNREFUSED/);
    assert.equal(error.destination.protocol, 'tcp');
    return true;
  });
});

test('RFC 3261 §18.3: a framing error (no Content-Length on a stream) closes the connection with an event', async () => {
  const b = await layer();
  const raw = await client(portOf(b, 'tcp'));
  const closed = b.events.once('connection-closed');
  await raw.write(requestText().replace(/Content-Length: 0\r\n/, ''));
  const event = await closed;
  assert.equal(event.reason, 'framing-error');
  await raw.waitForClose();
});

test('RFC 3261 §18.3: an over-long header section closes the connection (per-connection buffer limit)', async () => {
  const b = await layer({ maxMessageBytes: 4_096, maxConnectionBufferBytes: 4_096 });
  const raw = await client(portOf(b, 'tcp'));
  const closed = b.events.once('connection-closed');
  await raw.write(`OPTIONS sip:b@127.0.0.1 SIP/2.0\r\nX-Filler: ${'y'.repeat(20_000)}`);
  assert.equal((await closed).reason, 'framing-error');
});

test('RFC 5626 §4.4.1: a CRLFCRLF ping on a connection is answered with a CRLF pong', async () => {
  const b = await layer();
  const raw = await client(portOf(b, 'tcp'));
  await raw.write('\r\n\r\n');
  const text = await raw.waitUntil((t) => t.length >= 2, 3_000, 'the pong');
  await sleep(50);
  assert.equal(raw.data.toString(), '\r\n', 'exactly one CRLF');
  assert.equal(text, '\r\n');
});

test('RFC 5626 §4.4.1: no pong within 10 s closes the connection and emits keepalive-timeout', async () => {
  const clock = new FakeClock();
  const a = await layer({ clock });
  const peers: RawTcpClient[] = [];
  const server = await startRawTcpServer((peer) => peers.push(peer));
  cleanups.push(() => server.close());
  const destination = { protocol: 'tcp' as const, address: '127.0.0.1', port: server.port };
  await a.send(parse(requestText()), destination);
  const handle = a.startKeepAlive(destination, { intervalMs: 30_000 });
  cleanups.push(() => handle.stop());
  const timeouts: TransportEvent[] = [];
  a.events.on('keepalive-timeout', (event) => timeouts.push(event));
  clock.advance(30_000);
  const peer = peers[0] as RawTcpClient;
  await peer.waitUntil((t) => t.endsWith('\r\n\r\n') && t.includes('Content-Length: 0\r\n\r\n\r\n\r\n'), 3_000, 'the ping');
  clock.advance(9_999);
  assert.equal(timeouts.length, 0, 'still waiting for the pong');
  const closed = a.events.once('connection-closed');
  clock.advance(1);
  assert.equal(timeouts.length, 1);
  assert.equal((await closed).reason, 'keepalive-timeout');
  await peer.waitForClose();
});

test('RFC 5626 §4.4.1: a pong in time keeps the connection open', async () => {
  const clock = new FakeClock();
  const a = await layer({ clock });
  const peers: RawTcpClient[] = [];
  const server = await startRawTcpServer((peer) => peers.push(peer));
  cleanups.push(() => server.close());
  const destination = { protocol: 'tcp' as const, address: '127.0.0.1', port: server.port };
  const { connectionId } = await a.send(parse(requestText()), destination);
  const handle = a.startKeepAlive(destination, { intervalMs: 30_000 });
  cleanups.push(() => handle.stop());
  let timeouts = 0;
  a.events.on('keepalive-timeout', () => timeouts++);
  clock.advance(30_000);
  const peer = peers[0] as RawTcpClient;
  await peer.waitUntil((t) => t.endsWith('\r\n\r\n\r\n\r\n'), 3_000, 'the ping');
  await peer.write('\r\n');
  await sleep(100);
  clock.advance(20_000);
  assert.equal(timeouts, 0);
  const again = await a.send(parse(requestText()), destination);
  assert.equal(again.connectionId, connectionId, 'same connection still in use');
});

test('RFC 3261 §18: an idle connection is closed after idleTimeoutMs; the next request opens a new one', async () => {
  const clock = new FakeClock();
  const a = await layer({ clock, idleTimeoutMs: 60_000 });
  const b = await layer();
  const destination = { protocol: 'tcp' as const, address: '127.0.0.1', port: portOf(b, 'tcp') };
  const first = await a.send(parse(requestText()), destination);
  clock.advance(59_000);
  assert.equal(a.connectionCount, 1);
  const closed = a.events.once('connection-closed');
  clock.advance(1_000);
  assert.equal((await closed).reason, 'idle-timeout');
  const second = await a.send(parse(requestText()), destination);
  assert.notEqual(second.connectionId, first.connectionId);
});

test('RFC 3261 §18: at maxConnections a new outbound connection evicts the least recently used one', async () => {
  const a = await layer({ maxConnections: 1 });
  const b = await layer();
  const c = await layer();
  const closed = a.events.once('connection-closed');
  await a.send(parse(requestText()), { protocol: 'tcp', address: '127.0.0.1', port: portOf(b, 'tcp') });
  await a.send(parse(requestText()), { protocol: 'tcp', address: '127.0.0.1', port: portOf(c, 'tcp') });
  assert.equal((await closed).reason, 'evicted');
  assert.equal(a.connectionCount, 1);
});

test('RFC 3261 §18: a refused TCP connection is a TransportError naming the destination', async () => {
  const a = await layer();
  const b = await layer({ tcp: [] });
  const destination = { protocol: 'tcp' as const, address: '127.0.0.1', port: portOf(b, 'udp') };
  await assert.rejects(a.send(parse(requestText()), destination), (error: unknown) => {
    assert.ok(error instanceof TransportError);
    assert.deepEqual(error.destination, destination);
    return true;
  });
});

test('RFC 3261 §18.2.2: if the request\'s connection has closed, the response opens one to received + sent-by port', async () => {
  const b = await layer();
  const accepted: RawTcpClient[] = [];
  const phoneListener = await startRawTcpServer((peer) => accepted.push(peer));
  cleanups.push(() => phoneListener.close());
  const raw = await client(portOf(b, 'tcp'));
  const arriving = nextMessage(b);
  await raw.write(requestText({ via: `SIP/2.0/TCP 127.0.0.1:${phoneListener.port};branch=z9hG4bK-reopen` }));
  const incoming = await arriving;
  const closed = b.events.once('connection-closed');
  raw.close();
  await closed;
  const destination = responseDestination(incoming.message, incoming.source);
  const result = await b.send(createResponse(incoming.message as SipRequest, 200), destination);
  assert.notEqual(result.connectionId, incoming.source.connectionId);
  const text = await (accepted[0] as RawTcpClient).waitUntil((t) => t.includes('\r\n\r\n'), 3_000, 'the 200');
  assert.ok(text.startsWith('SIP/2.0 200 OK\r\n'));
});

test('RFC 3261 §18: inbound connections beyond maxConnections are refused, existing ones kept', async () => {
  const b = await layer({ maxConnections: 1 });
  const first = await client(portOf(b, 'tcp'));
  const arriving = nextMessage(b);
  await first.write(requestText());
  await arriving;
  const second = await client(portOf(b, 'tcp'));
  await second.waitForClose();
  assert.equal(b.connectionCount, 1);
  const still = nextMessage(b);
  await first.write(requestText());
  await still;
});

test('RFC 3261 §18.1.1: with switchLargeRequestsToTcp off, a large request stays on UDP', async () => {
  const a = await layer({ switchLargeRequestsToTcp: false });
  const b = await layer();
  const arriving = nextMessage(b);
  const result = await a.send(parse(requestText({ body: 'x'.repeat(1_500) })), { protocol: 'udp', address: '127.0.0.1', port: portOf(b, 'udp') });
  assert.equal(result.protocol, 'udp');
  assert.equal((await arriving).source.protocol, 'udp');
});
