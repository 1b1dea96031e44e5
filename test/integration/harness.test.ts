// Self-test of the real-peer test harness (test/support): Kamailio as
// registrar (driven by sipp as UAC and by raw UDP/TLS), and the sipp UAS
// registrar scenarios the registration tests use.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { findBinary } from '../support/find-binary.ts';
import { startKamailio, type KamailioInstance } from '../support/kamailio.ts';
import { pidsWithCmdline } from '../support/proc-table.ts';
import { RawSipUdpClient } from '../support/raw-sip-udp-client.ts';
import { probeSipOptions } from '../support/sip-options-probe.ts';
import { startSipp } from '../support/sipp.ts';

const USERS = [
  { username: 'alice', password: 'alice-secret' },
  { username: 'bob', password: 'b:b\\pass' },
];

interface RegisterOptions {
  readonly client: RawSipUdpClient;
  readonly serverPort: number;
  readonly user: string;
  readonly domain: string;
  readonly callId: string;
  readonly cseq: number;
  readonly expiresSec: number;
  readonly authorization?: string;
  /** Contact URI; default the client's own address. */
  readonly contact?: string;
}

function registerRequest(options: RegisterOptions): string {
  const { client } = options;
  return [
    `REGISTER sip:${options.domain} SIP/2.0`,
    `Via: SIP/2.0/UDP ${client.host}:${client.port};rport;branch=z9hG4bK${randomBytes(6).toString('hex')}`,
    'Max-Forwards: 70',
    `From: <sip:${options.user}@${options.domain}>;tag=harness${options.callId.slice(0, 6)}`,
    `To: <sip:${options.user}@${options.domain}>`,
    `Call-ID: ${options.callId}`,
    `CSeq: ${options.cseq} REGISTER`,
    `Contact: <${options.contact ?? `sip:${options.user}@${client.host}:${client.port}`}>`,
    `Expires: ${options.expiresSec}`,
    ...(options.authorization ? [`Authorization: ${options.authorization}`] : []),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

function statusOf(message: string): number {
  return Number(/^SIP\/2\.0 (\d{3})/.exec(message)?.[1] ?? 0);
}

function challengeParams(message: string): Record<string, string> {
  const header = /^WWW-Authenticate:\s*Digest\s+(.*)$/im.exec(message)?.[1] ?? '';
  const params: Record<string, string> = {};
  for (const match of header.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) {
    params[(match[1] ?? '').toLowerCase()] = match[2] ?? match[3] ?? '';
  }
  return params;
}

/** RFC 7616 digest with qop=auth, computed here to drive the peers by hand. */
function digestAuthorization(options: {
  algorithm: 'MD5' | 'SHA-256';
  username: string;
  password: string;
  realm: string;
  nonce: string;
  uri: string;
  opaque?: string;
}): string {
  const hash = (text: string): string =>
    createHash(options.algorithm === 'MD5' ? 'md5' : 'sha256').update(text).digest('hex');
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  const ha1 = hash(`${options.username}:${options.realm}:${options.password}`);
  const ha2 = hash(`REGISTER:${options.uri}`);
  const response = hash(`${ha1}:${options.nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return (
    `Digest username="${options.username}", realm="${options.realm}", nonce="${options.nonce}", ` +
    `uri="${options.uri}", response="${response}", algorithm=${options.algorithm}, ` +
    `cnonce="${cnonce}", qop=auth, nc=${nc}` +
    (options.opaque ? `, opaque="${options.opaque}"` : '')
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('Kamailio test registrar', () => {
  let kamailio: KamailioInstance;

  before(async () => {
    kamailio = await startKamailio({
      users: USERS,
      domain: 'pbx.test',
      minExpiresSec: 60,
      nonceExpireSec: 2,
    });
  });

  after(async () => {
    await kamailio?.stop();
  });

  test('starts quickly on free loopback ports, never 5060', async () => {
    const started = Date.now();
    const other = await startKamailio({ users: USERS });
    const startMs = Date.now() - started;
    await other.stop();
    assert.ok(startMs < 2000, `start took ${startMs} ms`);
    for (const port of Object.values(kamailio.ports)) assert.notEqual(port, 5060);
    assert.notEqual(kamailio.ports.tls, kamailio.ports.udp);
  });

  test('sipp UAC registers with digest auth over UDP; the contact is bound', async () => {
    const sipp = await startSipp({
      scenario: 'uac-register-auth',
      role: 'uac',
      remote: `127.0.0.1:${kamailio.ports.udp}`,
      vars: { user: 'alice', domain: 'pbx.test', expires: 300 },
      auth: { username: 'alice', password: 'alice-secret' },
    });
    const result = await sipp.done;
    assert.equal(result.exitCode, 0, result.log);
    assert.match(result.messages, /SIP\/2\.0 401 Unauthorized[\s\S]*WWW-Authenticate: Digest realm="pbx\.test"/);
    assert.match(result.messages, /SIP\/2\.0 200 OK/);
    const contacts = await kamailio.registeredContacts('sip:alice@pbx.test');
    assert.deepEqual(contacts, [`sip:alice@127.0.0.1:${sipp.port};transport=UDP`]);
    assert.deepEqual(await kamailio.registeredContacts('carol'), []);
  });

  test('a wrong password is challenged again (sipp fails the call)', async () => {
    const sipp = await startSipp({
      scenario: 'uac-register-auth',
      role: 'uac',
      remote: `127.0.0.1:${kamailio.ports.udp}`,
      vars: { user: 'bob', domain: 'pbx.test', expires: 300 },
      auth: { username: 'bob', password: 'not-the-password' },
      timeoutMs: 3000,
    });
    const result = await sipp.done;
    assert.equal(result.exitCode, 1, result.log);
    assert.doesNotMatch(result.messages, /SIP\/2\.0 200 OK/);
    assert.deepEqual(await kamailio.registeredContacts('bob'), []);
  });

  test('too small an Expires gets 423 with Min-Expires', async () => {
    const sipp = await startSipp({
      scenario: 'uac-register-auth-423',
      role: 'uac',
      remote: `127.0.0.1:${kamailio.ports.udp}`,
      vars: { user: 'bob', domain: 'pbx.test', expires: 30 },
      auth: { username: 'bob', password: 'b:b\\pass' },
    });
    const result = await sipp.done;
    assert.equal(result.exitCode, 0, result.log);
    assert.match(result.messages, /SIP\/2\.0 423 [\s\S]*Min-Expires: 60/);
  });

  test('an expired nonce is challenged with stale=true', async () => {
    const client = await RawSipUdpClient.open();
    try {
      const base = { client, serverPort: kamailio.ports.udp, user: 'alice', domain: 'pbx.test', expiresSec: 120 };
      const callId = `stale-${randomBytes(4).toString('hex')}`;
      const server = { port: kamailio.ports.udp };
      await client.send(registerRequest({ ...base, callId, cseq: 1 }), server);
      const challenge = await client.nextMessage();
      assert.equal(statusOf(challenge), 401, challenge);
      const params = challengeParams(challenge);
      const authorization = (): string =>
        digestAuthorization({
          algorithm: 'MD5',
          username: 'alice',
          password: 'alice-secret',
          realm: params.realm ?? '',
          nonce: params.nonce ?? '',
          uri: 'sip:pbx.test',
        });
      // Fresh nonce: accepted.
      await client.send(registerRequest({ ...base, callId, cseq: 2, authorization: authorization() }), server);
      const ok = await client.nextMessage();
      assert.equal(statusOf(ok), 200, ok);
      // Same nonce after nonce_expire (2 s): stale.
      await sleep(3100);
      await client.send(registerRequest({ ...base, callId, cseq: 3, authorization: authorization() }), server);
      const stale = await client.nextMessage();
      assert.equal(statusOf(stale), 401, stale);
      assert.equal(challengeParams(stale).stale?.toLowerCase(), 'true', stale);
      assert.notEqual(challengeParams(stale).nonce, params.nonce);
    } finally {
      await client.close();
    }
  });

  test('INVITE between registered users: authenticated (407), record-routed, answered, BYE', async () => {
    const callee = await startSipp({ scenario: 'call-answer', role: 'uas' });
    const client = await RawSipUdpClient.open();
    try {
      // bob registers the sipp callee's address as his contact.
      const callId = `callee-${randomBytes(4).toString('hex')}`;
      const base = {
        client,
        serverPort: kamailio.ports.udp,
        user: 'bob',
        domain: 'pbx.test',
        callId,
        expiresSec: 120,
        contact: `sip:bob@127.0.0.1:${callee.port}`,
      };
      const server = { port: kamailio.ports.udp };
      await client.send(registerRequest({ ...base, cseq: 1 }), server);
      const params = challengeParams(await client.nextMessage());
      const authorization = digestAuthorization({
        algorithm: 'MD5',
        username: 'bob',
        password: 'b:b\\pass',
        realm: params.realm ?? '',
        nonce: params.nonce ?? '',
        uri: 'sip:pbx.test',
      });
      await client.send(registerRequest({ ...base, cseq: 2, authorization }), server);
      const registered = await client.nextMessage();
      assert.equal(statusOf(registered), 200, registered);
    } finally {
      await client.close();
    }
    const caller = await startSipp({
      scenario: 'uac-call-auth',
      role: 'uac',
      remote: `127.0.0.1:${kamailio.ports.udp}`,
      vars: { user: 'alice', domain: 'pbx.test', callee: 'bob' },
      auth: { username: 'alice', password: 'alice-secret' },
    });
    const [callerResult, calleeResult] = await Promise.all([caller.done, callee.done]);
    assert.equal(callerResult.exitCode, 0, callerResult.log);
    assert.equal(calleeResult.exitCode, 0, calleeResult.log);
    assert.match(callerResult.messages, /SIP\/2\.0 407 Proxy Authentication Required/);
    const recordRoute = new RegExp(`Record-Route: <sip:127\\.0\\.0\\.1:${kamailio.ports.udp};lr`);
    assert.match(calleeResult.messages, recordRoute);
    assert.match(calleeResult.messages, /BYE sip:callee@127\.0\.0\.1/);
    assert.doesNotMatch(calleeResult.messages, /Proxy-Authorization/, 'credentials must not be forwarded');
  });

  test('TLS: handshake verified with the test CA, OPTIONS over TLS gets 200', async () => {
    const ca = await readFile(kamailio.caCertPath);
    const socket = tlsConnect({
      host: '127.0.0.1',
      port: kamailio.ports.tls,
      servername: 'pbx.test',
      ca,
      rejectUnauthorized: true,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('secureConnect', resolve);
        socket.once('error', reject);
      });
      assert.equal(socket.authorized, true);
      const branch = `z9hG4bK${randomBytes(6).toString('hex')}`;
      const response = new Promise<string>((resolve, reject) => {
        let buffer = '';
        socket.on('data', (data: Buffer) => {
          buffer += data.toString('utf8');
          if (buffer.includes('\r\n\r\n')) resolve(buffer);
        });
        socket.once('error', reject);
      });
      socket.write(
        [
          'OPTIONS sip:pbx.test SIP/2.0',
          `Via: SIP/2.0/TLS 127.0.0.1:${socket.localPort};rport;branch=${branch}`,
          'Max-Forwards: 70',
          'From: <sip:alice@pbx.test>;tag=tls1',
          'To: <sip:pbx.test>',
          `Call-ID: tls-${branch}`,
          'CSeq: 1 OPTIONS',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
      const text = await response;
      assert.equal(statusOf(text), 200, text);
      assert.match(text, new RegExp(`branch=${branch}`));
    } finally {
      socket.destroy();
    }
  });

  test('TLS: a client not trusting the test CA is refused', async () => {
    const socket = tlsConnect({ host: '127.0.0.1', port: kamailio.ports.tls, servername: 'pbx.test' });
    const error = await new Promise<Error>((resolve) => {
      socket.once('error', resolve);
      socket.once('secureConnect', () => resolve(new Error('handshake unexpectedly succeeded')));
    });
    socket.destroy();
    assert.match(error.message, /self[- ]signed|unable to (get|verify)|certificate/i);
  });

  test('restart keeps the ports and loses registrations', async () => {
    const sipp = await startSipp({
      scenario: 'uac-register-auth',
      role: 'uac',
      remote: `127.0.0.1:${kamailio.ports.udp}`,
      vars: { user: 'bob', domain: 'pbx.test', expires: 300 },
      auth: { username: 'bob', password: 'b:b\\pass' },
    });
    assert.equal((await sipp.done).exitCode, 0);
    assert.ok((await kamailio.registeredContacts('bob')).includes(`sip:bob@127.0.0.1:${sipp.port};transport=UDP`));
    const ports = { ...kamailio.ports };
    const oldPid = kamailio.pid();
    await kamailio.restart();
    assert.deepEqual(kamailio.ports, ports);
    assert.notEqual(kamailio.pid(), oldPid);
    assert.deepEqual(await kamailio.registeredContacts('bob'), []);
    assert.equal(statusOf(await probeSipOptions({ port: kamailio.ports.udp })), 200);
  });

  test('two instances run side by side with separate state', async () => {
    const second = await startKamailio({ users: [{ username: 'carol', password: 'carol-secret' }], domain: 'pbx2.test' });
    try {
      assert.notEqual(second.dir, kamailio.dir);
      assert.notEqual(second.ctlSocketPath, kamailio.ctlSocketPath);
      assert.notEqual(second.ports.udp, kamailio.ports.udp);
      assert.notEqual(second.ports.tls, kamailio.ports.tls);
      const sipp = await startSipp({
        scenario: 'uac-register-auth',
        role: 'uac',
        remote: `127.0.0.1:${second.ports.udp}`,
        vars: { user: 'carol', domain: 'pbx2.test', expires: 300 },
        auth: { username: 'carol', password: 'carol-secret' },
      });
      const result = await sipp.done;
      assert.equal(result.exitCode, 0, result.log);
      assert.equal((await second.registeredContacts('carol')).length, 1);
      assert.deepEqual(await kamailio.registeredContacts('carol'), []);
      assert.equal(statusOf(await probeSipOptions({ port: kamailio.ports.udp })), 200);
      if (second.ipv6) assert.equal(statusOf(await probeSipOptions({ host: '::1', port: second.ports.udp })), 200);
    } finally {
      await second.stop();
    }
    assert.deepEqual(pidsWithCmdline(second.dir), [], 'second instance left processes behind');
  });

  test('stop ends the main process and all its workers', async () => {
    const instance = await startKamailio({ users: USERS });
    const running = pidsWithCmdline(instance.dir);
    assert.ok(running.length > 2, `expected kamailio main + workers, saw ${running.length}`);
    await instance.stop();
    assert.equal(instance.isRunning(), false);
    assert.deepEqual(pidsWithCmdline(instance.dir), []);
    const log = await instance.readLog();
    assert.match(log, /Listening on/);
  });

  test('a missing binary points at npm run test:setup', () => {
    assert.throws(
      () => findBinary({ name: 'deskphone-no-such-binary', debianPackage: 'nothing' }),
      /npm run test:setup/,
    );
  });
});

describe('sipp UAS registrar scenarios', () => {
  interface UasExchange {
    readonly client: RawSipUdpClient;
    readonly port: number;
    readonly callId: string;
  }

  async function withUas(
    scenario: string,
    body: (exchange: UasExchange) => Promise<void>,
  ): Promise<{ exitCode: number | null; log: string }> {
    const uas = await startSipp({ scenario, role: 'uas', timeoutMs: 8000 });
    const client = await RawSipUdpClient.open();
    try {
      await body({ client, port: uas.port, callId: `uas-${randomBytes(4).toString('hex')}` });
      return await uas.done;
    } finally {
      await client.close();
      await uas.stop();
    }
  }

  test('register-200: sipp UAC to sipp UAS, Contact echoed with expires', async () => {
    const uas = await startSipp({ scenario: 'register-200', role: 'uas' });
    const uac = await startSipp({
      scenario: 'uac-register',
      role: 'uac',
      remote: `127.0.0.1:${uas.port}`,
      vars: { user: 'alice', domain: '127.0.0.1', expires: 120 },
    });
    const [uasResult, uacResult] = await Promise.all([uas.done, uac.done]);
    assert.equal(uasResult.exitCode, 0, uasResult.log);
    assert.equal(uacResult.exitCode, 0, uacResult.log);
    assert.match(
      uacResult.messages,
      new RegExp(`SIP/2\\.0 200 OK[\\s\\S]*Contact: <sip:alice@127\\.0\\.0\\.1:${uac.port};transport=UDP>;expires=120`),
    );
  });

  test('register-423: 423 with Min-Expires 120, then 200 for Expires 120', async () => {
    const result = await withUas('register-423', async ({ client, port, callId }) => {
      const base = { client, serverPort: port, user: 'alice', domain: '127.0.0.1', callId };
      await client.send(registerRequest({ ...base, cseq: 1, expiresSec: 30 }), { port });
      const brief = await client.nextMessage();
      assert.equal(statusOf(brief), 423, brief);
      assert.match(brief, /^Min-Expires: 120\r?$/m);
      await client.send(registerRequest({ ...base, cseq: 2, expiresSec: 120 }), { port });
      const ok = await client.nextMessage();
      assert.equal(statusOf(ok), 200, ok);
      assert.match(ok, /;expires=120/);
    });
    assert.equal(result.exitCode, 0, result.log);
  });

  test('register-423: a retry still below Min-Expires fails the scenario', async () => {
    const result = await withUas('register-423', async ({ client, port, callId }) => {
      const base = { client, serverPort: port, user: 'alice', domain: '127.0.0.1', callId };
      await client.send(registerRequest({ ...base, cseq: 1, expiresSec: 30 }), { port });
      assert.equal(statusOf(await client.nextMessage()), 423);
      await client.send(registerRequest({ ...base, cseq: 2, expiresSec: 60 }), { port });
    });
    assert.equal(result.exitCode, 1, result.log);
  });

  test('register-sha256: SHA-256 challenge, SHA-256 credentials get 200', async () => {
    const result = await withUas('register-sha256', async ({ client, port, callId }) => {
      const base = { client, serverPort: port, user: 'alice', domain: '127.0.0.1', callId, expiresSec: 300 };
      await client.send(registerRequest({ ...base, cseq: 1 }), { port });
      const challenge = await client.nextMessage();
      assert.equal(statusOf(challenge), 401, challenge);
      const params = challengeParams(challenge);
      assert.equal(params.algorithm, 'SHA-256');
      assert.equal(params.realm, 'pbx.test');
      const authorization = digestAuthorization({
        algorithm: 'SHA-256',
        username: 'alice',
        password: 'whatever',
        realm: params.realm ?? '',
        nonce: params.nonce ?? '',
        uri: 'sip:127.0.0.1',
        opaque: params.opaque,
      });
      await client.send(registerRequest({ ...base, cseq: 2, authorization }), { port });
      const ok = await client.nextMessage();
      assert.equal(statusOf(ok), 200, ok);
    });
    assert.equal(result.exitCode, 0, result.log);
  });

  test('register-sha256: MD5 credentials fail the scenario', async () => {
    const result = await withUas('register-sha256', async ({ client, port, callId }) => {
      const base = { client, serverPort: port, user: 'alice', domain: '127.0.0.1', callId, expiresSec: 300 };
      await client.send(registerRequest({ ...base, cseq: 1 }), { port });
      const params = challengeParams(await client.nextMessage());
      const authorization = digestAuthorization({
        algorithm: 'MD5',
        username: 'alice',
        password: 'whatever',
        realm: params.realm ?? '',
        nonce: params.nonce ?? '',
        uri: 'sip:127.0.0.1',
      });
      await client.send(registerRequest({ ...base, cseq: 2, authorization }), { port });
    });
    assert.equal(result.exitCode, 1, result.log);
  });

  test('register-503: 503 Service Unavailable', async () => {
    const result = await withUas('register-503', async ({ client, port, callId }) => {
      const base = { client, serverPort: port, user: 'alice', domain: '127.0.0.1', callId, expiresSec: 300 };
      await client.send(registerRequest({ ...base, cseq: 1 }), { port });
      const reply = await client.nextMessage();
      assert.equal(statusOf(reply), 503, reply);
    });
    assert.equal(result.exitCode, 0, result.log);
  });

  test('register-slow-200: 200 after ~3 s, UDP retransmissions absorbed', async () => {
    let elapsedMs = 0;
    const result = await withUas('register-slow-200', async ({ client, port, callId }) => {
      const request = registerRequest({
        client,
        serverPort: port,
        user: 'alice',
        domain: '127.0.0.1',
        callId,
        cseq: 1,
        expiresSec: 300,
      });
      const started = Date.now();
      await client.send(request, { port });
      // RFC 3261 timer E retransmissions (T1 = 500 ms): +0.5 s, +1.5 s.
      await sleep(500);
      await client.send(request, { port });
      await sleep(1000);
      await client.send(request, { port });
      const reply = await client.nextMessage(5000);
      elapsedMs = Date.now() - started;
      assert.equal(statusOf(reply), 200, reply);
    });
    assert.equal(result.exitCode, 0, result.log);
    assert.ok(elapsedMs >= 2900 && elapsedMs < 4500, `200 after ${elapsedMs} ms`);
  });
});
