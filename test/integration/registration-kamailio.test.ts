// Registration end to end against a real Kamailio registrar (digest auth,
// db_text users) started by the test on loopback, over UDP, TCP and TLS.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startKamailio, type KamailioInstance } from '../support/kamailio.ts';
import { startPhoneUnderTest, type PhoneUnderTest } from '../support/phone-under-test.ts';

const USERS = [
  { username: 'alice', password: 'alice-secret' },
  { username: 'bob', password: 'bob-secret' },
  { username: 'carol', password: 'carol-secret' },
];

const running: { stop(): Promise<void> }[] = [];
after(async () => {
  for (const item of running.reverse()) await item.stop().catch(() => undefined);
});

async function kamailio(options: Parameters<typeof startKamailio>[0]): Promise<KamailioInstance> {
  const instance = await startKamailio({ users: USERS, domain: 'pbx.test', ...options });
  running.push(instance);
  return instance;
}

async function phone(config: Parameters<typeof startPhoneUnderTest>[0]): Promise<PhoneUnderTest> {
  const instance = await startPhoneUnderTest(config);
  running.push(instance);
  return instance;
}

function line(id: string, user: string, registrar: string, extra: Record<string, unknown> = {}) {
  const account = USERS.find((u) => u.username === user);
  assert.ok(account);
  return { id, user, domain: 'pbx.test', registrar, auth: { username: user, password: account.password }, ...extra };
}

describe('registration against Kamailio', () => {
  test('three lines register over UDP, TCP and TLS (verified certificate), and unregister on stop', async () => {
    const pbx = await kamailio({});
    const base = `127.0.0.1:${pbx.ports.udp}`;
    const ut = await phone({
      sip: { tls: { caFile: pbx.caCertPath } },
      lines: [
        line('udp', 'alice', `sip:${base};transport=udp`),
        line('tcp', 'bob', `sip:${base};transport=tcp`),
        line('tls', 'carol', `sip:127.0.0.1:${pbx.ports.tls};transport=tls`),
      ],
    });
    for (const id of ['udp', 'tcp', 'tls']) {
      const registered = await ut.waitFor(id, 'registered');
      assert.ok((registered.expiresSec ?? 0) > 0);
    }
    const alice = await pbx.registeredContacts('sip:alice@pbx.test');
    const bob = await pbx.registeredContacts('sip:bob@pbx.test');
    const carol = await pbx.registeredContacts('sip:carol@pbx.test');
    assert.deepEqual(alice, [`sip:alice@127.0.0.1:${ut.port}`]);
    // Our Contact names our TCP listening port, not the connection's ephemeral source port.
    assert.deepEqual(bob, [`sip:bob@127.0.0.1:${ut.port};transport=tcp`]);
    assert.equal(carol.length, 1);
    assert.match(carol[0] ?? '', /;transport=tls$/);
    // Every line went through the digest challenge: the first REGISTER of each was answered 401.
    assert.ok(ut.log.records.some((r) => r.category.startsWith('sip.register') && r.msg === 'registered'));

    await ut.stop();
    assert.deepEqual(await pbx.registeredContacts('sip:alice@pbx.test'), []);
    assert.deepEqual(await pbx.registeredContacts('sip:bob@pbx.test'), []);
    assert.deepEqual(await pbx.registeredContacts('sip:carol@pbx.test'), []);
  });

  test('TLS to a server whose certificate is not trusted fails with a clear reason', async () => {
    const pbx = await kamailio({});
    const ut = await phone({ lines: [line('tls', 'carol', `sip:127.0.0.1:${pbx.ports.tls};transport=tls`)] });
    const failed = await ut.waitFor('tls', 'failed');
    assert.match(failed.reason ?? '', /cannot reach TLS 127\.0\.0\.1:\d+: .*(certificate|self.signed|issuer)/i);
    assert.deepEqual(await pbx.registeredContacts('sip:carol@pbx.test'), []);
  });

  test('two lines on two different servers (an old PBX and a new one) are registered at once', async () => {
    const oldPbx = await kamailio({});
    const newPbx = await kamailio({});
    const ut = await phone({
      lines: [
        line('old', 'alice', `sip:127.0.0.1:${oldPbx.ports.udp}`),
        line('new', 'alice', `sip:127.0.0.1:${newPbx.ports.tcp};transport=tcp`),
      ],
    });
    await ut.waitFor('old', 'registered');
    await ut.waitFor('new', 'registered');
    assert.deepEqual(await oldPbx.registeredContacts('sip:alice@pbx.test'), [`sip:alice@127.0.0.1:${ut.port}`]);
    assert.deepEqual(await newPbx.registeredContacts('sip:alice@pbx.test'), [`sip:alice@127.0.0.1:${ut.port};transport=tcp`]);
  });

  test('a wrong password fails once with a clear error and does not retry in a storm', async () => {
    const pbx = await kamailio({});
    const ut = await phone({
      lines: [{ ...line('l1', 'alice', `sip:127.0.0.1:${pbx.ports.udp}`), auth: { username: 'alice', password: 'not-the-password' } }],
    });
    const failed = await ut.waitFor('l1', 'failed');
    assert.equal(failed.reason, 'credentials rejected by realm "pbx.test" (401 Unauthorized)');
    assert.equal(failed.statusCode, 401);
    assert.ok((failed.retryInMs ?? 0) >= 60_000, `next try in ${failed.retryInMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const events = ut.registrationEvents('l1').map((e) => e.state);
    assert.deepEqual(events, ['registering', 'failed'], 'no further attempt');
    const registers = ut.log.records.filter((r) => r.msg === 'transaction created' && r.fields.method === 'REGISTER').length;
    assert.equal(registers, 2, 'one REGISTER, one answer to the challenge, nothing more');
  });

  test('RFC 3261 §10.2.8: a too-short Expires gets 423 and the phone registers with Min-Expires', async () => {
    const pbx = await kamailio({ minExpiresSec: 120 });
    const ut = await phone({ lines: [line('l1', 'alice', `sip:127.0.0.1:${pbx.ports.udp}`, { registerExpiresSec: 30 })] });
    const registered = await ut.waitFor('l1', 'registered');
    assert.ok((registered.expiresSec ?? 0) >= 120, `granted ${registered.expiresSec} s`);
    assert.ok(ut.log.records.some((r) => r.msg === 'registrar asks for a longer interval (423)' && r.fields.minExpiresSec === 120));
  });

  test('the registration is refreshed before it expires, and a stale nonce is answered without failing', async () => {
    // Bindings of 10 s refresh after 5 s; nonces live 3 s, so the refresh's cached nonce is stale.
    const pbx = await kamailio({ minExpiresSec: 5, nonceExpireSec: 3 });
    const ut = await phone({ lines: [line('l1', 'alice', `sip:127.0.0.1:${pbx.ports.udp}`, { registerExpiresSec: 10 })] });
    await ut.waitFor('l1', 'registered');
    const firstCount = ut.registrationEvents('l1').length;
    await ut.waitFor('l1', 'registered', { sinceIndex: firstCount, timeoutMs: 9000 });
    await new Promise((resolve) => setTimeout(resolve, 6000));
    // 12+ s after the first REGISTER, past the first binding's 10 s: still bound thanks to the refreshes.
    assert.deepEqual(await pbx.registeredContacts('sip:alice@pbx.test'), [`sip:alice@127.0.0.1:${ut.port}`]);
    const states = ut.registrationEvents('l1').map((e) => e.state);
    assert.ok(!states.includes('failed'), `no failure: ${states.join(' → ')}`);
    assert.ok(states.filter((s) => s === 'registered').length >= 3, `refreshed twice: ${states.join(' → ')}`);
    assert.ok(
      (await pbx.readLog()).includes('stale') || ut.log.records.some((r) => /stale/i.test(JSON.stringify(r.fields)) || /stale/i.test(r.msg)),
      'a stale nonce was seen on the way',
    );
  });

  test('Kamailio restart: the TCP line notices and is registered again within 30 s of the server coming back', async () => {
    const pbx = await kamailio({});
    const ut = await phone({ lines: [line('l1', 'bob', `sip:127.0.0.1:${pbx.ports.tcp};transport=tcp`)] });
    await ut.waitFor('l1', 'registered');
    const before = ut.registrationEvents('l1').length;
    await pbx.restart();
    const backAt = Date.now();
    assert.deepEqual(await pbx.registeredContacts('sip:bob@pbx.test'), [], 'the restart lost the binding');
    await ut.waitFor('l1', 'registered', { sinceIndex: before, timeoutMs: 30_000 });
    assert.ok(Date.now() - backAt <= 30_000);
    assert.deepEqual(await pbx.registeredContacts('sip:bob@pbx.test'), [`sip:bob@127.0.0.1:${ut.port};transport=tcp`]);
  });
});
