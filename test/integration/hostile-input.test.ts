// A running phone fed the whole torture corpus and hostile messages over real
// sockets: it must answer what it can answer precisely, never crash, never
// pollute prototypes, and keep answering afterwards.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { RawSipUdpClient } from '../support/raw-sip-udp-client.ts';
import { probeSipOptions } from '../support/sip-options-probe.ts';
import { startPhoneUnderTest, type PhoneUnderTest } from '../support/phone-under-test.ts';
import { readTortureManifest, readTortureMessage, TORTURE_DIR, tortureCorpusPresent } from '../support/torture-corpus.ts';

let ut: PhoneUnderTest;
before(async () => {
  ut = await startPhoneUnderTest({}, { logLevel: 'warn' });
});
after(async () => {
  await ut?.stop();
});

/** Sends bytes on a fresh TCP connection; resolves with whatever came back before the quiet period ended. */
function overTcp(port: number, bytes: Buffer, quietMs = 150): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    let timer = setTimeout(() => socket.destroy(), quietMs * 4);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      clearTimeout(timer);
      timer = setTimeout(() => socket.destroy(), quietMs);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
  });
}

function optionsRequest(client: RawSipUdpClient, viaExtra: string): string {
  const tag = randomBytes(4).toString('hex');
  return [
    `OPTIONS sip:phone@127.0.0.1:${ut.port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${client.port};rport;branch=z9hG4bK${tag}${viaExtra}`,
    'Max-Forwards: 70',
    `From: <sip:probe@127.0.0.1>;tag=${tag};__proto__=polluted;constructor=x`,
    `To: <sip:phone@127.0.0.1;__proto__=1>`,
    `Call-ID: ${tag}@hostile`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

describe('hostile input on the wire', () => {
  test('`__proto__` and `constructor` parameters are plain data: answered 200, no prototype touched', async () => {
    const client = await RawSipUdpClient.open();
    try {
      await client.send(optionsRequest(client, ';__proto__=polluted;constructor=1;toString=2'), { port: ut.port });
      const answer = await client.nextMessage(2000);
      assert.match(answer, /^SIP\/2\.0 200 OK\r\n/);
      assert.equal((Object.prototype as Record<string, unknown>)['polluted'], undefined);
      assert.equal(({} as Record<string, unknown>)['branch'], undefined);
    } finally {
      await client.close();
    }
  });

  test('a request with a mismatched CSeq method is answered 400 with a reason that says so', async () => {
    const client = await RawSipUdpClient.open();
    try {
      const request = optionsRequest(client, '').replace('CSeq: 1 OPTIONS', 'CSeq: 1 INVITE');
      await client.send(request, { port: ut.port });
      const answer = await client.nextMessage(2000);
      assert.match(answer, /^SIP\/2\.0 400 [^\r]*CSeq[^\r]*\r\n/);
    } finally {
      await client.close();
    }
  });

  test('every torture message over UDP and over TCP: no crash, no 2xx to a message that must be refused, still answering', async (t) => {
    if (!tortureCorpusPresent()) {
      t.skip(`corpus not found at ${TORTURE_DIR} (set SIP_TORTURE_DIR)`);
      return;
    }
    const entries = readTortureManifest().filter((e) => e.scored);
    const udp = await RawSipUdpClient.open();
    const wrongAnswers: string[] = [];
    try {
      for (const entry of entries) await udp.send(readTortureMessage(entry).toString('latin1'), { port: ut.port });
      for (let i = 0; i < entries.length; i += 8) {
        await Promise.all(
          entries.slice(i, i + 8).map(async (entry) => {
            const reply = await overTcp(ut.port, readTortureMessage(entry));
            const status = Number(/^SIP\/2\.0 (\d{3})/.exec(reply)?.[1] ?? 0);
            if (entry.expect === 'reject' && status >= 200 && status < 300) wrongAnswers.push(`${entry.tag}: ${status}`);
          }),
        );
      }
    } finally {
      await udp.close();
    }
    assert.deepEqual(wrongAnswers, [], 'messages the RFC says must be refused got a 2xx');
    const answer = await probeSipOptions({ port: ut.port, timeoutMs: 2000 });
    assert.match(answer, /^SIP\/2\.0 200 OK\r\n/, 'the phone still answers after the corpus');
    assert.equal(ut.log.records.filter((r) => r.level === 'error').length, 0, 'no error-level log record (nothing threw inside the stack)');
    t.diagnostic(`${entries.length} messages sent over UDP and over TCP`);
  });

  test('a TCP peer that streams an endless header section is cut off at the buffer limit', async () => {
    const socket = connect({ host: '127.0.0.1', port: ut.port });
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(`INVITE sip:x@127.0.0.1 SIP/2.0\r\n`);
    const line = Buffer.from(`X-Junk: ${'a'.repeat(1000)}\r\n`);
    let sentBytes = 0;
    while (!socket.destroyed && sentBytes < 4_000_000) {
      if (!socket.write(line)) await new Promise((resolve) => setTimeout(resolve, 1));
      sentBytes += line.length;
    }
    await closed;
    assert.ok(sentBytes < 4_000_000, `the phone closed the connection after ${sentBytes} bytes`);
    const answer = await probeSipOptions({ port: ut.port, timeoutMs: 2000 });
    assert.match(answer, /^SIP\/2\.0 200 OK\r\n/);
  });
});
