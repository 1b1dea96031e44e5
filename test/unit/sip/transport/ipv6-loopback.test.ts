import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createResponse } from '../../../../firmware/sip/message/build.ts';
import { topVia } from '../../../../firmware/sip/message/header-values.ts';
import type { SipRequest } from '../../../../firmware/sip/message/types.ts';
import { responseDestination } from '../../../../firmware/sip/transport/response-destination.ts';
import { isIpv6LoopbackUsable } from '../../../support/ipv6-loopback.ts';
import { nextMessage, parse, portOf, requestText, startLayer } from './fixtures.ts';

const ipv6 = await isIpv6LoopbackUsable();

test('RFC 3261 §18 + RFC 5118: UDP and TCP over IPv6 loopback [::1]', { skip: ipv6 ? false : 'IPv6 loopback not usable here' }, async () => {
  const listen = [{ address: '::1', port: 0 }];
  const a = await startLayer({ udp: listen, tcp: listen });
  const b = await startLayer({ udp: [{ address: '127.0.0.1', port: 0 }, ...listen], tcp: listen });
  try {
    const local = a.localAddressFor('udp', { protocol: 'udp', address: '::1', port: portOf(b, 'udp', 6) });
    assert.deepEqual(local, { host: '::1', port: portOf(a, 'udp', 6) });

    const udpArriving = nextMessage(b);
    await a.send(parse(requestText({ via: `SIP/2.0/UDP [::1]:${local.port};branch=z9hG4bK-v6;rport` })), {
      protocol: 'udp',
      address: '::1',
      port: portOf(b, 'udp', 6),
    });
    const udp = await udpArriving;
    assert.equal(udp.source.address, '::1');
    assert.equal(udp.source.port, local.port);
    assert.equal(topVia(udp.message).params.get('received'), '::1', 'rport asked: received always added');

    const responseArriving = nextMessage(a);
    await b.send(createResponse(udp.message as SipRequest, 200), responseDestination(udp.message, udp.source));
    const response = await responseArriving;
    assert.equal(response.message.kind === 'response' && response.message.status, 200);

    const tcpArriving = nextMessage(b);
    const sent = await a.send(parse(requestText({ via: `SIP/2.0/TCP [::1]:${portOf(a, 'tcp', 6)};branch=z9hG4bK-v6t` })), {
      protocol: 'tcp',
      address: '::1',
      port: portOf(b, 'tcp', 6),
    });
    const tcp = await tcpArriving;
    assert.equal(sent.protocol, 'tcp');
    assert.equal(tcp.source.address, '::1');
    assert.equal(topVia(tcp.message).params.has('received'), false, 'sent-by [::1] equals the source ::1');
  } finally {
    await a.stop();
    await b.stop();
  }
});
