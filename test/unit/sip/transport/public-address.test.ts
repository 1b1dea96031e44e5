import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TransportLayer } from '../../../../firmware/sip/transport/transport-layer.ts';
import type { TransportEvent } from '../../../../firmware/sip/transport/transport-events.ts';
import { nextMessage, parse, portOf, RawUdpPeer, requestText, startLayer } from './fixtures.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A registrar stand-in that answers with a 200 whose Via carries the given received/rport. */
function responseText(via: string): string {
  return [
    'SIP/2.0 200 OK',
    `Via: ${via}`,
    'From: <sip:alice@127.0.0.1>;tag=a1',
    'To: <sip:alice@127.0.0.1>;tag=r1',
    'Call-ID: reg-1@test',
    'CSeq: 1 REGISTER',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

async function setUp(): Promise<{ phone: TransportLayer; registrar: RawUdpPeer; events: TransportEvent[] }> {
  const phone = await startLayer();
  cleanups.push(() => phone.stop());
  const registrar = await RawUdpPeer.start();
  cleanups.push(() => registrar.close());
  const events: TransportEvent[] = [];
  phone.events.on('public-address-changed', (event) => events.push(event));
  return { phone, registrar, events };
}

test('RFC 3581 §4 / RFC 3261 §18.2.1: received/rport differing from our sent-by are learned and announced', async () => {
  const { phone, registrar, events } = await setUp();
  const server = { protocol: 'udp' as const, address: '127.0.0.1', port: registrar.port };
  const sentBy = phone.localAddressFor('udp', server);
  const via = `SIP/2.0/UDP ${sentBy.host}:${sentBy.port};branch=z9hG4bK-reg1`;
  await phone.send(parse(requestText({ method: 'REGISTER', via: `${via};rport` })), server);
  await registrar.waitFor(1);

  const arriving = nextMessage(phone);
  await registrar.send(responseText(`${via};received=203.0.113.7;rport=40000`), portOf(phone, 'udp'));
  const learned = phone.learnFromResponse(await arriving);

  assert.deepEqual(learned, { host: '203.0.113.7', port: 40000 });
  assert.equal(events.length, 1);
  assert.deepEqual(events[0], {
    type: 'public-address-changed',
    protocol: 'udp',
    server: { address: '127.0.0.1', port: registrar.port },
    previous: sentBy,
    current: { host: '203.0.113.7', port: 40000 },
  });
  assert.deepEqual(phone.localAddressFor('udp', server), { host: '203.0.113.7', port: 40000 }, 'Via/Contact now use it');
  assert.deepEqual(phone.localAddressFor('tcp', { ...server, protocol: 'tcp' }).host, '127.0.0.1', 'per protocol');

  // The same answer again: nothing new.
  const again = nextMessage(phone);
  await registrar.send(responseText(`${via};received=203.0.113.7;rport=40000`), portOf(phone, 'udp'));
  assert.equal(phone.learnFromResponse(await again), undefined);
  assert.equal(events.length, 1);

  // The NAT binding moved: announced again, with the previous public address.
  const moved = nextMessage(phone);
  await registrar.send(responseText(`${via};received=203.0.113.7;rport=40123`), portOf(phone, 'udp'));
  phone.learnFromResponse(await moved);
  assert.equal(events.length, 2);
  const second = events[1];
  assert.ok(second?.type === 'public-address-changed');
  assert.deepEqual(second.previous, { host: '203.0.113.7', port: 40000 });
  assert.deepEqual(second.current, { host: '203.0.113.7', port: 40123 });
});

test('RFC 3581 §4: received/rport equal to our sent-by change nothing', async () => {
  const { phone, registrar, events } = await setUp();
  const sentBy = phone.localAddressFor('udp', { protocol: 'udp', address: '127.0.0.1', port: registrar.port });
  const arriving = nextMessage(phone);
  const via = `SIP/2.0/UDP ${sentBy.host}:${sentBy.port};branch=z9hG4bK-reg2;received=${sentBy.host};rport=${sentBy.port}`;
  await registrar.send(responseText(via), portOf(phone, 'udp'));
  assert.equal(phone.learnFromResponse(await arriving), undefined);
  assert.equal(events.length, 0);
});
