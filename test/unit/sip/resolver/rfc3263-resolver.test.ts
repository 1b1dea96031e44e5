import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Params, SipUri } from '../../../../firmware/sip/message/types.ts';
import { Rfc3263Resolver, type Rfc3263ResolverOptions } from '../../../../firmware/sip/resolver/rfc3263-resolver.ts';
import { DnsResolutionError } from '../../../../firmware/sip/resolver/dns-resolution-error.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { startDnsServer, type DnsServerHandle } from '../../../support/dns-server.ts';

function uri(text: string): SipUri {
  // sip:host[:port][;params] — enough for server location tests.
  const match = /^(sips?):([^;]+?)(?::(\d+))?((?:;[^;]+)*)$/.exec(text);
  if (!match) throw new Error(`bad test URI ${text}`);
  const hostPart = match[2] as string;
  const params: Params = new Map();
  for (const param of (match[4] ?? '').split(';').filter(Boolean)) {
    const [name, value] = param.split('=');
    params.set((name as string).toLowerCase(), value ?? null);
  }
  return {
    scheme: match[1] as 'sip' | 'sips',
    user: null,
    password: null,
    host: hostPart.toLowerCase(),
    port: match[3] ? Number(match[3]) : null,
    params,
    headers: new Map(),
  };
}

function brief(destinations: readonly { protocol: string; address: string; port: number }[]): string[] {
  return destinations.map((d) => `${d.protocol}:${d.address.includes(':') ? `[${d.address}]` : d.address}:${d.port}`);
}

describe('RFC 3263 resolver against a real DNS server on loopback', () => {
  let dns: DnsServerHandle;

  before(async () => {
    dns = await startDnsServer({
      records: {
        naptr: [
          // RFC 3263 §4.1: order beats preference; SIP+D2T (order 10) before SIP+D2U (order 20).
          { name: 'naptr.test', order: 20, preference: 10, flags: 's', service: 'SIP+D2U', replacement: '_sip._udp.naptr.test' },
          { name: 'naptr.test', order: 10, preference: 50, flags: 's', service: 'SIP+D2T', replacement: '_sip._tcp.naptr.test' },
          { name: 'naptr.test', order: 30, preference: 10, flags: 's', service: 'SIPS+D2T', replacement: '_sips._tcp.naptr.test' },
          // An unknown service must be skipped.
          { name: 'naptr.test', order: 5, preference: 10, flags: 's', service: 'SIP+D2S', replacement: '_sip._sctp.naptr.test' },
        ],
        srv: [
          { name: '_sip._tcp.naptr.test', target: 'tcp1.naptr.test', port: 5070, priority: 10, weight: 10 },
          { name: '_sip._udp.naptr.test', target: 'udp1.naptr.test', port: 5080, priority: 10, weight: 10 },
          { name: '_sips._tcp.naptr.test', target: 'tls1.naptr.test', port: 5091, priority: 10, weight: 10 },
          // No NAPTR for srv.test: SRV priorities and weights.
          { name: '_sip._udp.srv.test', target: 'low.srv.test', port: 5060, priority: 20, weight: 0 },
          { name: '_sip._udp.srv.test', target: 'heavy.srv.test', port: 5060, priority: 10, weight: 60 },
          { name: '_sip._udp.srv.test', target: 'light.srv.test', port: 5062, priority: 10, weight: 40 },
          { name: '_sip._tcp.srv.test', target: 'heavy.srv.test', port: 5064, priority: 10, weight: 10 },
          { name: '_sips._tcp.srv.test', target: 'heavy.srv.test', port: 5065, priority: 10, weight: 10 },
        ],
        addresses: [
          { name: 'tcp1.naptr.test', address: '127.0.0.11' },
          { name: 'udp1.naptr.test', address: '127.0.0.12' },
          { name: 'tls1.naptr.test', address: '127.0.0.13' },
          { name: 'heavy.srv.test', address: '127.0.0.21' },
          { name: 'light.srv.test', address: '127.0.0.22' },
          { name: 'low.srv.test', address: '127.0.0.23' },
          { name: 'srv.test', address: '127.0.0.51' },
          { name: 'plain.test', address: '127.0.0.31' },
          { name: 'plain.test', address: '::1' },
          { name: 'v6only.test', address: '::1' },
          { name: 'short.test', address: '127.0.0.41', ttlSeconds: 2 },
        ],
      },
      localDomains: ['naptr.test', 'srv.test', 'plain.test', 'v6only.test', 'short.test', 'missing.test'],
    });
  });

  after(async () => {
    await dns?.stop();
  });

  function resolver(options: Partial<Rfc3263ResolverOptions> = {}): Rfc3263Resolver {
    return new Rfc3263Resolver({ servers: [dns.server], timeoutMs: 1_000, tries: 1, random: () => 0.5, ...options });
  }

  test('RFC 3263 §4.1: NAPTR → SRV → A chain, NAPTR order respected, unknown services skipped', async () => {
    const destinations = await resolver().resolve(uri('sip:naptr.test'));
    assert.deepEqual(brief(destinations), ['tcp:127.0.0.11:5070', 'udp:127.0.0.12:5080', 'tls:127.0.0.13:5091']);
    assert.ok(destinations.every((d) => d.serverName === 'naptr.test'), 'serverName is the URI domain (RFC 5922 §4.1)');
  });

  test('RFC 3263 §4.1: NAPTR services we do not support are discarded', async () => {
    const destinations = await resolver({ protocols: ['udp'] }).resolve(uri('sip:naptr.test'));
    assert.deepEqual(brief(destinations), ['udp:127.0.0.12:5080']);
  });

  test('RFC 3263 §4.1: a SIPS URI only uses SIPS+D2T, and the destination is TLS with serverName', async () => {
    const destinations = await resolver().resolve(uri('sips:naptr.test'));
    assert.deepEqual(brief(destinations), ['tls:127.0.0.13:5091']);
    assert.equal(destinations[0]?.serverName, 'naptr.test');
  });

  test('RFC 3263 §4.1 + RFC 2782: no NAPTR → SRV per transport, priority ascending, weighted choice from injected random', async () => {
    // Within priority 10, sorted [heavy(60), light(40)]; running sums 60, 100.
    // random 0.9 → pick floor(0.9·101)=90 → light first; random 0.1 → 10 → heavy first.
    const lightFirst = await resolver({ random: () => 0.9, protocols: ['udp'] }).resolve(uri('sip:srv.test'));
    assert.deepEqual(brief(lightFirst), ['udp:127.0.0.22:5062', 'udp:127.0.0.21:5060', 'udp:127.0.0.23:5060']);
    const heavyFirst = await resolver({ random: () => 0.1, protocols: ['udp'] }).resolve(uri('sip:srv.test'));
    assert.deepEqual(brief(heavyFirst), ['udp:127.0.0.21:5060', 'udp:127.0.0.22:5062', 'udp:127.0.0.23:5060']);
  });

  test('RFC 2782: weights shape the distribution of the first choice', async () => {
    let seed = 42;
    const lcg = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const r = resolver({ random: lcg, protocols: ['udp'] });
    let heavy = 0;
    for (let i = 0; i < 400; i++) {
      const [first] = await r.resolve(uri('sip:srv.test'));
      if (first?.address === '127.0.0.21') heavy++;
    }
    // Expected 60 %; allow a wide band so the test is stable but still fails for uniform or fixed order.
    assert.ok(heavy > 190 && heavy < 290, `heavy chosen first ${heavy}/400 times`);
  });

  test('RFC 3263 §4.1: no NAPTR → SRV queries for every supported transport in preference order', async () => {
    const destinations = await resolver({ random: () => 0.1 }).resolve(uri('sip:srv.test'));
    assert.deepEqual(brief(destinations), [
      'udp:127.0.0.21:5060', 'udp:127.0.0.22:5062', 'udp:127.0.0.23:5060',
      'tcp:127.0.0.21:5064',
      'tls:127.0.0.21:5065',
    ]);
  });

  test('RFC 3263 §4.2: no NAPTR and no SRV → A/AAAA on 5060 with UDP (A before AAAA by default)', async () => {
    const destinations = await resolver().resolve(uri('sip:plain.test'));
    assert.deepEqual(brief(destinations), ['udp:127.0.0.31:5060', 'udp:[::1]:5060']);
    const v6first = await resolver({ addressFamilies: [6, 4] }).resolve(uri('sip:plain.test'));
    assert.deepEqual(brief(v6first), ['udp:[::1]:5060', 'udp:127.0.0.31:5060']);
  });

  test('RFC 3263 §4.2: AAAA-only host resolves to IPv6', async () => {
    const destinations = await resolver().resolve(uri('sip:v6only.test'));
    assert.deepEqual(brief(destinations), ['udp:[::1]:5060']);
  });

  test('RFC 3263 §4.1: sips without NAPTR/SRV → TLS on 5061', async () => {
    const destinations = await resolver().resolve(uri('sips:plain.test'));
    assert.deepEqual(brief(destinations), ['tls:127.0.0.31:5061', 'tls:[::1]:5061']);
    assert.equal(destinations[0]?.serverName, 'plain.test');
  });

  test('RFC 3263 §4.2: an explicit port skips NAPTR and SRV (A/AAAA only)', async () => {
    const before = dns.queryCount();
    const destinations = await resolver().resolve(uri('sip:srv.test:5099'));
    assert.deepEqual(brief(destinations), ['udp:127.0.0.51:5099']);
    assert.equal(dns.queryCount() - before, 2, 'exactly the A and AAAA queries');
  });

  test('RFC 3263 §4.1/§4.2: transport= param selects the SRV record of that transport only', async () => {
    const tcp = await resolver().resolve(uri('sip:naptr.test;transport=tcp'));
    assert.deepEqual(brief(tcp), ['tcp:127.0.0.11:5070']);
    const udpWithPort = await resolver().resolve(uri('sip:plain.test:5077;transport=tcp'));
    assert.deepEqual(brief(udpWithPort), ['tcp:127.0.0.31:5077', 'tcp:[::1]:5077']);
    const sipsTcp = await resolver().resolve(uri('sips:srv.test;transport=tcp'));
    assert.deepEqual(brief(sipsTcp), ['tls:127.0.0.21:5065']);
  });

  test('RFC 3263 §4.1: a transport param with no SRV record falls back to A/AAAA on the default port', async () => {
    const destinations = await resolver().resolve(uri('sip:plain.test;transport=tcp'));
    assert.deepEqual(brief(destinations), ['tcp:127.0.0.31:5060', 'tcp:[::1]:5060']);
  });

  test('RFC 3263 §4: an IP literal bypasses DNS entirely', async () => {
    const before = dns.queryCount();
    assert.deepEqual(brief(await resolver().resolve(uri('sip:127.0.0.9'))), ['udp:127.0.0.9:5060']);
    assert.deepEqual(brief(await resolver().resolve(uri('sip:127.0.0.9:5099;transport=tcp'))), ['tcp:127.0.0.9:5099']);
    assert.deepEqual(brief(await resolver().resolve(uri('sips:[::1]'))), ['tls:[::1]:5061']);
    assert.equal(dns.queryCount(), before, 'no DNS query for IP literals');
  });

  test('RFC 3263 §4: maddr overrides the host', async () => {
    const destinations = await resolver().resolve(uri('sip:naptr.test;maddr=127.0.0.8'));
    assert.deepEqual(brief(destinations), ['udp:127.0.0.8:5060']);
  });

  test('NXDOMAIN gives a DnsResolutionError naming the domain', async () => {
    await assert.rejects(resolver().resolve(uri('sip:nobody.missing.test')), (error: unknown) => {
      assert.ok(error instanceof DnsResolutionError);
      assert.equal(error.code, 'NXDOMAIN');
      assert.equal(error.domain, 'nobody.missing.test');
      assert.match(error.message, /nobody\.missing\.test does not exist \(NXDOMAIN\)/);
      return true;
    });
  });

  test('an unsupported transport param is refused clearly', async () => {
    await assert.rejects(resolver().resolve(uri('sip:plain.test;transport=sctp')), /transport=sctp is not supported/);
    await assert.rejects(resolver().resolve(uri('sips:plain.test;transport=udp')), /transport=udp is not supported/);
  });

  test('answers are cached for their TTL (A record TTL 2 s), then asked again', async () => {
    const clock = new FakeClock();
    const r = resolver({ clock });
    await r.resolve(uri('sip:short.test:5060'));
    const afterFirst = dns.queryCount();
    await r.resolve(uri('sip:short.test:5060'));
    assert.equal(dns.queryCount(), afterFirst, 'second resolve served from cache');
    clock.advance(2_500);
    const destinations = await r.resolve(uri('sip:short.test:5060'));
    assert.deepEqual(brief(destinations), ['udp:127.0.0.41:5060']);
    assert.ok(dns.queryCount() > afterFirst, 'expired A record queried again');
  });

  test('a DNS server that does not answer gives a TIMEOUT error naming the domain', async () => {
    const { createSocket } = await import('node:dgram');
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    try {
      const r = new Rfc3263Resolver({ servers: [`127.0.0.1:${silent.address().port}`], timeoutMs: 200, tries: 1 });
      await assert.rejects(r.resolve(uri('sip:plain.test:5060')), (error: unknown) => {
        assert.ok(error instanceof DnsResolutionError);
        assert.equal(error.code, 'TIMEOUT');
        assert.match(error.message, /plain\.test/);
        return true;
      });
    } finally {
      silent.close();
    }
  });
});
