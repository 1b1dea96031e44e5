import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../../../firmware/sip/message/parser.ts';
import { topVia } from '../../../../firmware/sip/message/header-values.ts';
import { createResponse } from '../../../../firmware/sip/message/build.ts';
import type { SipRequest } from '../../../../firmware/sip/message/types.ts';
import type { TransportLayer } from '../../../../firmware/sip/transport/transport-layer.ts';
import { responseDestination } from '../../../../firmware/sip/transport/response-destination.ts';
import type { TransportEvent } from '../../../../firmware/sip/transport/transport-events.ts';
import { TransportError } from '../../../../firmware/sip/transport/types.ts';
import { nextMessage, parse, portOf, RawUdpPeer, requestText, sleep, startLayer } from './fixtures.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function layer(options: Parameters<typeof startLayer>[0] = {}): Promise<TransportLayer> {
  const started = await startLayer(options);
  cleanups.push(() => started.stop());
  return started;
}

async function peer(address?: string): Promise<RawUdpPeer> {
  const started = await RawUdpPeer.start(address);
  cleanups.push(() => started.close());
  return started;
}

test('RFC 3261 §18.1.1/§18.2.1: a request sent over UDP is received, parsed, with its UDP source', async () => {
  const a = await layer();
  const b = await layer();
  const arriving = nextMessage(b);
  const request = parse(requestText({ via: `SIP/2.0/UDP 127.0.0.1:${portOf(a, 'udp')};branch=z9hG4bK-udp1` }));
  const result = await a.send(request, { protocol: 'udp', address: '127.0.0.1', port: portOf(b, 'udp') });
  assert.deepEqual(result, { protocol: 'udp' });
  const incoming = await arriving;
  assert.equal(incoming.message.kind, 'request');
  assert.equal((incoming.message as SipRequest).method, 'OPTIONS');
  assert.equal(incoming.source.protocol, 'udp');
  assert.equal(incoming.source.address, '127.0.0.1');
  assert.equal(incoming.source.port, portOf(a, 'udp'), 'UDP requests leave from the listening socket');
  assert.equal(incoming.source.localPort, portOf(b, 'udp'));
  assert.equal(topVia(incoming.message).params.has('received'), false, 'sent-by equals the source: no received');
});

test('RFC 3261 §18.2.1 + RFC 3581 §4: received and rport are stamped on the top Via of a received request', async () => {
  const b = await layer();
  const raw = await peer();
  const arriving = nextMessage(b);
  await raw.send(requestText({ via: 'SIP/2.0/UDP phone.invalid:5060;branch=z9hG4bK-nat;rport' }), portOf(b, 'udp'));
  const via = topVia((await arriving).message);
  assert.equal(via.params.get('received'), '127.0.0.1');
  assert.equal(via.params.get('rport'), String(raw.port));
  assert.equal(via.params.get('branch'), 'z9hG4bK-nat');
});

test('RFC 3581 §4: the response goes to the source address and port when rport was requested', async () => {
  const b = await layer();
  const raw = await peer();
  const arriving = nextMessage(b);
  await raw.send(requestText({ via: 'SIP/2.0/UDP 192.0.2.77:5060;branch=z9hG4bK-rport;rport' }), portOf(b, 'udp'));
  const incoming = await arriving;
  const destination = responseDestination(incoming.message, incoming.source);
  assert.deepEqual(destination, { protocol: 'udp', address: '127.0.0.1', port: raw.port });
  await b.send(createResponse(incoming.message as SipRequest, 200), destination);
  const [datagram] = await raw.waitFor(1);
  const response = parse(datagram as Buffer);
  assert.equal(response.kind === 'response' && response.status, 200);
  assert.equal(topVia(response).params.get('rport'), String(raw.port), 'Via copied with rport filled in');
});

test('RFC 3261 §8.2.6 / §21.4.1: a malformed request is answered 400 with the parser\'s precise reason', async () => {
  const b = await layer();
  const raw = await peer();
  const bad = requestText({ via: 'SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-bad;rport', cseq: '1 INVITE' });
  const expected = parseMessage(Buffer.from(bad), { transport: 'datagram' });
  assert.equal(expected.ok, false);
  assert.equal(expected.ok ? '' : expected.error.reason, 'Bad Request (CSeq method does not match request method)');
  await raw.send(bad, portOf(b, 'udp'));
  const [datagram] = await raw.waitFor(1);
  const text = (datagram as Buffer).toString();
  assert.equal(text.split('\r\n')[0], 'SIP/2.0 400 Bad Request (CSeq method does not match request method)');
  assert.match(text, /\r\nCall-ID: call-\d+@test\r\n/);
  assert.match(text, /\r\nCSeq: 1 INVITE\r\n/, 'CSeq copied as received');
});

test('RFC 3261 §8.2.6 / §21.5.20: a request with an unsupported SIP version is answered 505', async () => {
  const b = await layer();
  const raw = await peer();
  const text = requestText({ via: 'SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-v3;rport' });
  await raw.send(text.replace(' SIP/2.0\r\n', ' SIP/3.0\r\n'), portOf(b, 'udp'));
  const [datagram] = await raw.waitFor(1);
  assert.match((datagram as Buffer).toString().split('\r\n')[0] as string, /^SIP\/2\.0 505 /);
});

test('RFC 3261 §17.1.1.3: a malformed ACK is never answered', async () => {
  const b = await layer();
  const raw = await peer();
  const dropped = b.events.once('message-dropped');
  await raw.send(requestText({ method: 'ACK', cseq: '1 INVITE' }), portOf(b, 'udp'));
  await dropped;
  await sleep(100);
  assert.equal(raw.received.length, 0);
});

test('RFC 3261 §18.2.1: unanswerable garbage is dropped with an event, and the socket keeps working', async () => {
  const b = await layer();
  const raw = await peer();
  const events: TransportEvent[] = [];
  b.events.on('message-dropped', (event) => events.push(event));
  await raw.send('hello, this is not SIP\r\n\r\n', portOf(b, 'udp'));
  await sleep(100);
  assert.equal(events.length, 1);
  assert.equal(raw.received.length, 0, 'garbage is not answered');
  const arriving = nextMessage(b);
  await raw.send(requestText(), portOf(b, 'udp'));
  assert.equal((await arriving).message.kind, 'request');
});

test('RFC 3261 §18.2.1: a handler that throws never stops delivery or kills the socket', async () => {
  const b = await layer();
  const raw = await peer();
  let calls = 0;
  b.onMessage(() => {
    calls++;
    throw new Error('handler bug');
  });
  const arriving = nextMessage(b);
  await raw.send(requestText(), portOf(b, 'udp'));
  await arriving;
  const second = nextMessage(b);
  await raw.send(requestText(), portOf(b, 'udp'));
  await second;
  assert.equal(calls, 2);
});

test('RFC 3261 §18.1.1: UDP datagrams over the configured maximum are dropped', async () => {
  const b = await layer({ maxDatagramBytes: 600 });
  const raw = await peer();
  const dropped = b.events.once('message-dropped');
  let delivered = 0;
  b.onMessage(() => delivered++);
  await raw.send(requestText({ body: 'x'.repeat(700) }), portOf(b, 'udp'));
  const event = await dropped;
  assert.match(event.reason, /exceeds 600/);
  assert.equal(delivered, 0);
});

test('RFC 5626 §3.5.1: a CRLFCRLF datagram is a keep-alive, neither delivered nor answered', async () => {
  const b = await layer();
  const raw = await peer();
  let delivered = 0;
  let dropped = 0;
  b.onMessage(() => delivered++);
  b.events.on('message-dropped', () => dropped++);
  await raw.send('\r\n\r\n', portOf(b, 'udp'));
  await sleep(100);
  assert.deepEqual([delivered, dropped, raw.received.length], [0, 0, 0]);
});

test('RFC 3261 §18.1.1: a UDP send to an address family with no socket is a TransportError', async () => {
  const a = await layer();
  const request = parse(requestText());
  await assert.rejects(a.send(request, { protocol: 'udp', address: '::1', port: 5060 }), (error: unknown) => {
    assert.ok(error instanceof TransportError);
    assert.equal(error.destination.address, '::1');
    return true;
  });
});

test('RFC 3261 §18: localAddressFor gives the interface address toward the destination and our listening port', async () => {
  const a = await layer();
  const local = await a.probeLocalAddress('udp', { protocol: 'udp', address: '127.0.0.1', port: 5060 });
  assert.deepEqual(local, { host: '127.0.0.1', port: portOf(a, 'udp') });
  assert.deepEqual(a.localAddressFor('tcp', { protocol: 'tcp', address: '127.0.0.1', port: 5060 }), {
    host: '127.0.0.1',
    port: portOf(a, 'tcp'),
  });
});
