/**
 * Robustness: random and mutated bytes (seeded PRNG, reproducible) derived
 * from the torture corpus (when present) and from built-in messages. No
 * exception may escape parseMessage or the StreamFramer, accepted messages
 * must survive the accessors and a serialize/re-parse, and nothing may reach
 * Object.prototype.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callId, contacts, cseq, fromHeader, toHeader, topVia, vias } from '../../../../firmware/sip/message/header-values.ts';
import { parseMessage } from '../../../../firmware/sip/message/parser.ts';
import { serializeMessage } from '../../../../firmware/sip/message/serializer.ts';
import { StreamFramer } from '../../../../firmware/sip/message/stream-framer.ts';
import { SipSyntaxError } from '../../../../firmware/sip/message/errors.ts';
import { parseUri } from '../../../../firmware/sip/message/uri.ts';
import { SeededRandom } from '../../../support/seeded-random.ts';

const SEED = 0x5eed_4475;
const ITERATIONS = 10_000;

const BUILT_IN = [
  'INVITE sip:bob@biloxi.com;transport=tcp SIP/2.0\r\nVia: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;rport\r\nMax-Forwards: 70\r\nTo: Bob <sip:bob@biloxi.com>\r\nFrom: "Alice" <sip:alice@atlanta.com>;tag=1928301774\r\nCall-ID: a84b4c76e66710@pc33.atlanta.com\r\nCSeq: 314159 INVITE\r\nContact: <sip:alice@[2001:db8::1]:5060;ob>;+sip.instance="<urn:uuid:1>"\r\nContent-Type: application/sdp\r\nContent-Length: 4\r\n\r\nv=0\n',
  'SIP/2.0 401 Unauthorized\r\nv: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK1;received=192.0.2.9\r\nf: <sip:alice@example.com>;tag=1\r\nt: <sip:alice@example.com>;tag=2\r\ni: 1@h\r\nCSeq: 1 REGISTER\r\nWWW-Authenticate: Digest realm="example.com", nonce="abc", algorithm=SHA-256, qop="auth"\r\nl: 0\r\n\r\n',
  'REGISTER sips:example.com SIP/2.0\r\nVia: SIP/2.0/TLS [2001:db8::9]:5061;branch=z9hG4bKx\r\nMax-Forwards: 70\r\nTo: tel:+1-201-555-0123\r\nFrom: <tel:+1-201-555-0123>;tag=x\r\nCall-ID: r@h\r\nCSeq: 2 REGISTER\r\nContact: *\r\nExpires: 0\r\nContent-Length: 0\r\n\r\n',
];

const TOKENS = [';', ',', ':', '<', '>', '"', '\\', '%', '%0', '[', ']', '@', '=', ' ', '\t', '\r\n', '\r\n ', '\n', '\r', '\0', '__proto__', ';__proto__=1', ';constructor=1', 'SIP/2.0', '99999999999', '-1', 'é', '\u00ff'];

function corpusMessages(): Buffer[] {
  const repoRoot = process.env['DESKPHONE_ROOT'] ?? fileURLToPath(new URL('../../../../', import.meta.url));
  const dir = process.env['SIP_TORTURE_DIR'] ?? resolve(repoRoot, '..', 'shared', 'torture');
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((name) => name.endsWith('.dat')).map((name) => join(dir, name));
  const wire = join(dir, 'rfc5118', 'wire');
  if (existsSync(wire)) files.push(...readdirSync(wire).filter((name) => name.endsWith('.dat')).map((name) => join(wire, name)));
  return files.map((file) => readFileSync(file));
}

function mutate(input: Buffer, random: SeededRandom): Buffer {
  const pick = (n: number): number => Math.floor(random.next() * n);
  let bytes = Buffer.from(input);
  const rounds = 1 + pick(4);
  for (let r = 0; r < rounds; r++) {
    const at = pick(bytes.length + 1);
    switch (pick(6)) {
      case 0: // flip a byte
        if (bytes.length > 0) bytes[Math.min(at, bytes.length - 1)] = pick(256);
        break;
      case 1: // insert a grammar-significant token
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(TOKENS[pick(TOKENS.length)] as string), bytes.subarray(at)]);
        break;
      case 2: // delete a range
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + pick(16))]);
        break;
      case 3: // duplicate a range (repeated headers, params)
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + pick(64)), bytes.subarray(at)]);
        break;
      case 4: // truncate
        bytes = bytes.subarray(0, at);
        break;
      default: // random bytes
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(Array.from({ length: pick(8) }, () => pick(256))), bytes.subarray(at)]);
    }
  }
  return bytes;
}

/** Exercises an accepted message the way the stack will; only SipSyntaxError may come out of optional accessors. */
function exercise(bytes: Buffer): void {
  const result = parseMessage(bytes);
  if (!result.ok) {
    assert.ok([400, 505, 513].includes(result.error.status));
    assert.equal(typeof result.error.reason, 'string');
    assert.ok(!/[\r\n]/.test(result.error.reason), 'a reason phrase never holds CR/LF');
    return;
  }
  const message = result.message;
  // Validated: these must not throw.
  topVia(message);
  vias(message);
  fromHeader(message);
  toHeader(message);
  callId(message);
  cseq(message);
  contacts(message);
  const again = parseMessage(serializeMessage(message));
  assert.ok(again.ok, `re-parse of a serialized accepted message failed: ${again.ok ? '' : again.error.reason}`);
}

test('fuzz: mutated torture and built-in messages never make parseMessage throw', () => {
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  const random = new SeededRandom(SEED);
  const seeds = [...corpusMessages(), ...BUILT_IN.map((text) => Buffer.from(text))];
  let accepted = 0;
  const started = Date.now();
  for (let i = 0; i < ITERATIONS; i++) {
    const input = mutate(seeds[i % seeds.length] as Buffer, random);
    try {
      exercise(input);
      if (parseMessage(input).ok) accepted++;
    } catch (error: unknown) {
      assert.fail(`iteration ${i} (seed ${SEED}) threw ${String(error)} on ${JSON.stringify(input.toString('latin1'))}`);
    }
  }
  assert.ok(accepted > 0, 'some mutations still parse (the fuzzer reaches deep code)');
  assert.ok(accepted < ITERATIONS, 'some mutations are refused');
  assert.ok(Date.now() - started < 20_000, 'fuzzing stays fast (no pathological parse time)');
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeKeys, 'Object.prototype untouched');
  assert.equal(({} as Record<string, unknown>)['1'], undefined);
});

test('fuzz: random bytes and random chunking never make the StreamFramer throw', () => {
  const random = new SeededRandom(SEED + 1);
  const seeds = BUILT_IN.map((text) => Buffer.from(text));
  for (let i = 0; i < 1000; i++) {
    const framer = new StreamFramer({ maxMessageBytes: 4096, maxHeaderBytes: 2048 });
    const wire = mutate(Buffer.concat([seeds[i % seeds.length] as Buffer, Buffer.from('\r\n\r\n'), seeds[(i + 1) % seeds.length] as Buffer]), random);
    let offset = 0;
    while (offset < wire.length) {
      const size = 1 + Math.floor(random.next() * 200);
      for (const item of framer.push(wire.subarray(offset, offset + size))) {
        if (item.kind === 'message') parseMessage(item.bytes, { transport: 'stream' });
      }
      offset += size;
      assert.ok(framer.bufferedBytes <= 8192);
    }
  }
});

test('fuzz: URI parser throws only SipSyntaxError', () => {
  const random = new SeededRandom(SEED + 2);
  const uris = ['sip:alice:pw@atlanta.com:5060;transport=tcp;lr?subject=x&h=%20', 'tel:+1-201-555-0123;ext=1', 'sips:[2001:db8::1]:5061', 'urn:service:sos'];
  for (let i = 0; i < 3000; i++) {
    const text = mutate(Buffer.from(uris[i % uris.length] as string), random).toString('utf8');
    try {
      parseUri(text);
    } catch (error: unknown) {
      assert.ok(error instanceof SipSyntaxError, `non-syntax error for ${JSON.stringify(text)}: ${String(error)}`);
    }
  }
});

test('pathological inputs parse in linear time', () => {
  const cases = [
    `OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h${';x'.repeat(3000)}\r\n\r\n`,
    `OPTIONS sip:a@b SIP/2.0\r\nContact: ${'<sip:a@b>,'.repeat(1400)}\r\n\r\n`,
    `OPTIONS sip:a@b SIP/2.0\r\nTo: ${'"'.repeat(14000)}\r\n\r\n`,
    `OPTIONS sip:${'%41'.repeat(4000)}@b SIP/2.0\r\n\r\n`,
    `OPTIONS sip:a@b SIP/2.0\r\n${'X: y\r\n'.repeat(2500)}\r\n`,
    `OPTIONS sip:a@b SIP/2.0\r\nX: a${'\r\n a'.repeat(4000)}\r\n\r\n`,
  ];
  for (const text of cases) {
    const started = process.hrtime.bigint();
    const result = parseMessage(Buffer.from(text));
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(result.ok, false);
    assert.ok(elapsedMs < 100, `took ${elapsedMs.toFixed(1)} ms`);
  }
});
