import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { createResponse } from '../../../../firmware/sip/message/build.ts';
import type { SipRequest } from '../../../../firmware/sip/message/types.ts';
import type { TransportLayer } from '../../../../firmware/sip/transport/transport-layer.ts';
import { responseDestination } from '../../../../firmware/sip/transport/response-destination.ts';
import { TransportError } from '../../../../firmware/sip/transport/types.ts';
import { createTestCa, type TestCa } from '../../../support/test-ca.ts';
import { nextMessage, parse, portOf, requestText, startLayer } from './fixtures.ts';

let dir: string;
let pki: TestCa;
let otherPki: TestCa;
const cleanups: (() => Promise<void>)[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskphone-tls-'));
  pki = await createTestCa({ dir: join(dir, 'good'), serverNames: ['sip.example.test'] });
  otherPki = await createTestCa({ dir: join(dir, 'other'), serverNames: ['sip.example.test'] });
});

after(() => rmSync(dir, { recursive: true, force: true }));

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const read = (path: string): Buffer => readFileSync(path);

async function server(): Promise<TransportLayer> {
  const layer = await startLayer({
    udp: [],
    tcp: [],
    tls: {
      listen: [{ address: '127.0.0.1', port: 0 }],
      serverCertificate: { cert: read(pki.serverCertPath), key: read(pki.serverKeyPath) },
    },
  });
  cleanups.push(() => layer.stop());
  return layer;
}

async function phone(ca: Buffer | undefined): Promise<TransportLayer> {
  const layer = await startLayer({ tls: ca ? { ca } : {} });
  cleanups.push(() => layer.stop());
  return layer;
}

test('RFC 3261 §26.2.1 / RFC 5922: TLS to the server name in the certificate, verified against the CA; response on the same connection', async () => {
  const b = await server();
  const a = await phone(read(pki.caCertPath));
  const arriving = nextMessage(b);
  const destination = { protocol: 'tls' as const, address: '127.0.0.1', port: portOf(b, 'tls'), serverName: 'sip.example.test' };
  const result = await a.send(parse(requestText({ via: 'SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bK-tls' })), destination);
  assert.equal(result.protocol, 'tls');
  assert.match(result.connectionId ?? '', /^tls-\d+$/);
  const incoming = await arriving;
  assert.equal(incoming.source.protocol, 'tls');

  const response = nextMessage(a);
  await b.send(createResponse(incoming.message as SipRequest, 200), responseDestination(incoming.message, incoming.source));
  const answer = await response;
  assert.equal(answer.message.kind === 'response' && answer.message.status, 200);
  assert.equal(answer.source.connectionId, result.connectionId, 'the response came back on our connection');
});

test('RFC 5922 §7.2: the SNI sent is destination.serverName', async () => {
  let seen: (name: string | false | null | undefined) => void = () => undefined;
  const sniSeen = new Promise<string | false | null | undefined>((resolve) => {
    seen = resolve;
  });
  const tlsServer = createTlsServer({ cert: read(pki.serverCertPath), key: read(pki.serverKeyPath) }, (socket: TLSSocket) => {
    seen(socket.servername);
    socket.destroy();
  });
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => tlsServer.close(() => resolve())));
  const address = tlsServer.address();
  assert.ok(address !== null && typeof address !== 'string');
  const a = await phone(read(pki.caCertPath));
  await a.send(parse(requestText()), { protocol: 'tls', address: '127.0.0.1', port: address.port, serverName: 'sip.example.test' });
  assert.equal(await sniSeen, 'sip.example.test');
});

test('RFC 5922 §7.2: a certificate that does not name the server is a TransportError', async () => {
  const b = await server();
  const a = await phone(read(pki.caCertPath));
  const destination = { protocol: 'tls' as const, address: '127.0.0.1', port: portOf(b, 'tls'), serverName: 'wrong.example.test' };
  await assert.rejects(a.send(parse(requestText()), destination), (error: unknown) => {
    assert.ok(error instanceof TransportError);
    assert.match(error.message, /ERR_TLS_CERT_ALTNAME_INVALID|does not match|not in the cert/i);
    return true;
  });
  assert.equal(a.connectionCount, 0);
});

test('RFC 5922 §7.3: a server certificate from an unknown CA is a TransportError', async () => {
  const b = await server();
  const a = await phone(read(otherPki.caCertPath));
  const destination = { protocol: 'tls' as const, address: '127.0.0.1', port: portOf(b, 'tls'), serverName: 'sip.example.test' };
  await assert.rejects(a.send(parse(requestText()), destination), (error: unknown) => {
    assert.ok(error instanceof TransportError);
    assert.match(error.message, /certificate|signature/i);
    return true;
  });
  // And with the system store only (no CA configured): the test CA is unknown too.
  const c = await phone(undefined);
  await assert.rejects(c.send(parse(requestText()), destination), TransportError);
});

test('RFC 5922: a TLS connection verified for one name is not reused for another', async () => {
  const b = await server();
  const a = await phone(read(pki.caCertPath));
  const port = portOf(b, 'tls');
  const first = await a.send(parse(requestText()), { protocol: 'tls', address: '127.0.0.1', port, serverName: 'sip.example.test' });
  const second = await a.send(parse(requestText()), { protocol: 'tls', address: '127.0.0.1', port, serverName: 'localhost' });
  const third = await a.send(parse(requestText()), { protocol: 'tls', address: '127.0.0.1', port, serverName: 'sip.example.test' });
  assert.notEqual(second.connectionId, first.connectionId);
  assert.equal(third.connectionId, first.connectionId);
});
