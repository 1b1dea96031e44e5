import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rfc3263Resolver } from '../../../../firmware/sip/resolver/rfc3263-resolver.ts';
import { TargetIterator } from '../../../../firmware/sip/resolver/target-iterator.ts';
import { DestinationBlacklist } from '../../../../firmware/sip/resolver/destination-blacklist.ts';
import type { Destination } from '../../../../firmware/sip/transport/types.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { startDnsServer, type DnsServerHandle } from '../../../support/dns-server.ts';

let dns: DnsServerHandle;
let destinations: Destination[];

before(async () => {
  dns = await startDnsServer({
    records: {
      srv: [
        { name: '_sip._udp.failover.test', target: 'b.failover.test', port: 5060, priority: 20, weight: 0 },
        { name: '_sip._udp.failover.test', target: 'a.failover.test', port: 5060, priority: 10, weight: 0 },
        { name: '_sip._udp.failover.test', target: 'c.failover.test', port: 5060, priority: 30, weight: 0 },
      ],
      addresses: [
        { name: 'a.failover.test', address: '127.0.0.61' },
        { name: 'b.failover.test', address: '127.0.0.62' },
        { name: 'c.failover.test', address: '127.0.0.63' },
      ],
    },
  });
  const resolver = new Rfc3263Resolver({ servers: [dns.server], timeoutMs: 1_000, tries: 1, protocols: ['udp'] });
  destinations = await resolver.resolve({ scheme: 'sip', host: 'failover.test', port: null, params: new Map() });
});

after(async () => {
  await dns?.stop();
});

const addresses = (list: (Destination | undefined)[]): (string | undefined)[] => list.map((d) => d?.address);

test('RFC 3263 §4.3: the iterator hands out destinations in resolver order, then undefined', () => {
  const iterator = new TargetIterator(destinations);
  assert.equal(iterator.remaining, 3);
  assert.deepEqual(addresses([iterator.next(), iterator.next(), iterator.next(), iterator.next()]), [
    '127.0.0.61', '127.0.0.62', '127.0.0.63', undefined,
  ]);
  assert.equal(iterator.remaining, 0);
});

test('RFC 3263 §4.3: a destination that failed is tried last by the next transaction, until its blacklisting expires', () => {
  const clock = new FakeClock();
  const blacklist = new DestinationBlacklist({ clock, defaultDurationMs: 30_000 });
  const first = new TargetIterator(destinations, { blacklist });
  const failed = first.next();
  assert.equal(failed?.address, '127.0.0.61');
  first.markFailed(failed as Destination);
  assert.equal(first.next()?.address, '127.0.0.62', 'same transaction moves on');

  const second = new TargetIterator(destinations, { blacklist });
  assert.deepEqual(addresses([second.next(), second.next(), second.next(), second.next()]), [
    '127.0.0.62', '127.0.0.63', '127.0.0.61', undefined,
  ]);

  clock.advance(30_001);
  const third = new TargetIterator(destinations, { blacklist });
  assert.equal(third.next()?.address, '127.0.0.61', 'blacklisting expired');
});

test('RFC 3263 §4.3: a custom blacklist duration is honoured', () => {
  const clock = new FakeClock();
  const blacklist = new DestinationBlacklist({ clock });
  const iterator = new TargetIterator(destinations, { blacklist });
  iterator.markFailed(destinations[0] as Destination, 1_000);
  assert.equal(blacklist.has(destinations[0] as Destination), true);
  clock.advance(1_000);
  assert.equal(blacklist.has(destinations[0] as Destination), false);
});
