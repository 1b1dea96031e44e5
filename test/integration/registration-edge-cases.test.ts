// Registration edge cases Kamailio cannot produce, with sipp as a scripted
// registrar, and RFC 3263 server location against a real DNS server
// (dnsmasq on loopback, no upstream: no query can leave the machine).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { startDnsServer, type DnsRecords } from '../support/dns-server.ts';
import { findFreePort } from '../support/free-port.ts';
import { startPhoneUnderTest, type PhoneUnderTest } from '../support/phone-under-test.ts';
import { startSipp, type SippRun } from '../support/sipp.ts';

const running: { stop(): Promise<void> }[] = [];
after(async () => {
  for (const item of running.reverse()) await item.stop().catch(() => undefined);
});

async function sipp(scenario: string, options: { transport?: 'udp' | 'tcp'; vars?: Record<string, string> } = {}): Promise<SippRun> {
  const run = await startSipp({ scenario, role: 'uas', timeoutMs: 20_000, ...options });
  running.push({ stop: async () => { await run.stop(); } });
  return run;
}

async function phone(config: Parameters<typeof startPhoneUnderTest>[0]): Promise<PhoneUnderTest> {
  const instance = await startPhoneUnderTest(config);
  running.push(instance);
  return instance;
}

async function dns(records: DnsRecords) {
  const server = await startDnsServer({ records });
  running.push(server);
  return server;
}

/** The digest parameters of the last Authorization header in a sipp message trace. */
function lastAuthorization(trace: string): Map<string, string> {
  const headers = [...trace.matchAll(/^Authorization:\s*Digest\s+(.*)$/gim)];
  const header = headers.at(-1)?.[1] ?? '';
  return new Map([...header.matchAll(/([\w-]+)=(?:"([^"]*)"|([^,\s]+))/g)].map((m) => [m[1]!.toLowerCase(), m[2] ?? m[3] ?? '']));
}

describe('registration edge cases (sipp registrar, real DNS)', () => {
  test('RFC 8760: a SHA-256 challenge is answered with a correct SHA-256 digest', async () => {
    const registrar = await sipp('register-sha256', { vars: { realm: 'pbx.test' } });
    const ut = await phone({
      lines: [{ id: 'l1', user: 'alice', domain: 'pbx.test', registrar: `sip:127.0.0.1:${registrar.port}`, auth: { username: 'alice', password: 's3cret' } }],
    });
    await ut.waitFor('l1', 'registered');
    const result = await registrar.done;
    assert.equal(result.exitCode, 0, result.log);
    // Check the digest ourselves (sipp only checks its shape): RFC 7616 §3.4.1 with SHA-256, qop=auth.
    const auth = lastAuthorization(result.messages);
    assert.equal(auth.get('algorithm'), 'SHA-256');
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const ha1 = sha256(`alice:${auth.get('realm')}:s3cret`);
    const ha2 = sha256(`REGISTER:${auth.get('uri')}`);
    const expected = sha256(`${ha1}:${auth.get('nonce')}:${auth.get('nc')}:${auth.get('cnonce')}:auth:${ha2}`);
    assert.equal(auth.get('response'), expected);
  });

  test('a slow 2xx: UDP retransmissions are absorbed and the line registers when the answer comes', async () => {
    const registrar = await sipp('register-slow-200');
    const ut = await phone({ lines: [{ id: 'l1', user: 'alice', domain: 'pbx.test', registrar: `sip:127.0.0.1:${registrar.port}` }] });
    const startedMs = Date.now();
    await ut.waitFor('l1', 'registered', { timeoutMs: 10_000 });
    assert.ok(Date.now() - startedMs >= 2500, 'the 200 came after sipp waited ~3 s');
    const result = await registrar.done;
    assert.equal(result.exitCode, 0, result.log);
    const registers = (result.messages.match(/^REGISTER sip:/gm) ?? []).length;
    assert.ok(registers >= 3, `the REGISTER was retransmitted meanwhile (sipp saw ${registers})`);
    assert.equal(ut.registrationEvents('l1').filter((e) => e.state === 'failed').length, 0);
  });

  test('RFC 3263 §4.3: SRV fail-over from a registrar answering 503 to the next priority', async () => {
    const failing = await sipp('register-503');
    const healthy = await sipp('register-200');
    const server = await dns({
      srv: [
        { name: '_sip._udp.failover.test', target: 'pbx1.failover.test', port: failing.port, priority: 10, weight: 0 },
        { name: '_sip._udp.failover.test', target: 'pbx2.failover.test', port: healthy.port, priority: 20, weight: 0 },
      ],
      addresses: [
        { name: 'pbx1.failover.test', address: '127.0.0.1' },
        { name: 'pbx2.failover.test', address: '127.0.0.1' },
      ],
    });
    const ut = await phone({ sip: { dnsServers: [server.server] }, lines: [{ id: 'l1', user: 'alice', domain: 'failover.test' }] });
    await ut.waitFor('l1', 'registered');
    assert.equal((await failing.done).exitCode, 0, 'the first target got the REGISTER and answered 503');
    assert.equal((await healthy.done).exitCode, 0, 'the second target registered us');
  });

  test('RFC 3263 §4.3: fail-over after a timeout (nothing listening on the first target)', async () => {
    const healthy = await sipp('register-200');
    const deadPort = await findFreePort();
    const server = await dns({
      srv: [
        { name: '_sip._udp.timeout.test', target: 'dead.timeout.test', port: deadPort, priority: 10, weight: 0 },
        { name: '_sip._udp.timeout.test', target: 'alive.timeout.test', port: healthy.port, priority: 20, weight: 0 },
      ],
      addresses: [
        { name: 'dead.timeout.test', address: '127.0.0.1' },
        { name: 'alive.timeout.test', address: '127.0.0.1' },
      ],
    });
    // T1 = 50 ms makes Timer F 3.2 s instead of 32 s.
    const ut = await phone({ sip: { dnsServers: [server.server], timers: { t1Ms: 50 } }, lines: [{ id: 'l1', user: 'alice', domain: 'timeout.test' }] });
    await ut.waitFor('l1', 'registered', { timeoutMs: 15_000 });
    assert.equal((await healthy.done).exitCode, 0);
    assert.ok(ut.log.records.some((r) => r.msg === 'target failed; trying the next one (RFC 3263 §4.3)' && /Timer F/.test(String(r.fields.failure))));
  });

  test('RFC 3263 §4.1: NAPTR picks TCP, SRV gives the port, A gives the address', async () => {
    const registrar = await sipp('register-200', { transport: 'tcp' });
    const server = await dns({
      naptr: [
        { name: 'naptr.test', order: 10, preference: 10, flags: 's', service: 'SIP+D2T', replacement: '_sip._tcp.naptr.test' },
      ],
      srv: [{ name: '_sip._tcp.naptr.test', target: 'pbx.naptr.test', port: registrar.port, priority: 10, weight: 0 }],
      addresses: [{ name: 'pbx.naptr.test', address: '127.0.0.1' }],
    });
    const ut = await phone({ sip: { dnsServers: [server.server] }, lines: [{ id: 'l1', user: 'alice', domain: 'naptr.test' }] });
    await ut.waitFor('l1', 'registered');
    const result = await registrar.done;
    assert.equal(result.exitCode, 0, result.log);
    assert.match(result.messages, /^Via: SIP\/2\.0\/TCP /m);
    assert.match(result.messages, /^Contact: <sip:alice@127\.0\.0\.1:\d+;transport=tcp>/m);
  });

  test('an unknown domain (NXDOMAIN from the loopback DNS server) fails with an error naming it', async () => {
    const server = await dns({ addresses: [{ name: 'known.test', address: '127.0.0.1' }] });
    const ut = await phone({ sip: { dnsServers: [server.server] }, lines: [{ id: 'l1', user: 'alice', domain: 'nowhere.test' }] });
    const failed = await ut.waitFor('l1', 'failed');
    assert.match(failed.reason ?? '', /nowhere\.test/);
  });
});
