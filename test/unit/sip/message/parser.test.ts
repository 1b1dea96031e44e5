import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../../../firmware/sip/message/parser.ts';
import { cseq, parseNameAddr, parseVia, topVia } from '../../../../firmware/sip/message/header-values.ts';
import { SipSyntaxError } from '../../../../firmware/sip/message/errors.ts';
import type { ParseResult, SipMessage } from '../../../../firmware/sip/message/types.ts';

const CRLF = '\r\n';

function invite(extraHeaders: string[] = [], body = '', opts: { contentLength?: string | null } = {}): Buffer {
  const lines = [
    'INVITE sip:bob@biloxi.com SIP/2.0',
    'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds',
    'Max-Forwards: 70',
    'To: Bob <sip:bob@biloxi.com>',
    'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710@pc33.atlanta.com',
    'CSeq: 314159 INVITE',
    ...extraHeaders,
  ];
  const contentLength = opts.contentLength === undefined ? String(Buffer.byteLength(body)) : opts.contentLength;
  if (contentLength !== null) lines.push(`Content-Length: ${contentLength}`);
  return Buffer.from(lines.join(CRLF) + CRLF + CRLF + body);
}

function ok(result: ParseResult): SipMessage {
  if (!result.ok) assert.fail(`expected success, got ${result.error.status} ${result.error.reason}`);
  return result.message;
}

function refused(result: ParseResult): Extract<ParseResult, { ok: false }> {
  if (result.ok) assert.fail('expected the message to be refused');
  return result;
}

test('RFC 3261 §7.1: a request parses into method, URI, headers and body', () => {
  const msg = ok(parseMessage(invite([], 'v=0\r\n')));
  assert.equal(msg.kind, 'request');
  assert.ok(msg.kind === 'request' && msg.method === 'INVITE' && msg.uri.scheme === 'sip');
  assert.equal(msg.headers.length, 7);
  assert.deepEqual(msg.headers[0], { name: 'Via', value: 'SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds' });
  assert.equal(msg.body.toString(), 'v=0\r\n');
});

test('RFC 3261 §7.2: a response with an empty reason phrase parses (RFC 4475 §3.1.1.13)', () => {
  const text = ['SIP/2.0 100 ', 'Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1', 'To: <sip:b@example.com>', 'From: <sip:a@example.com>;tag=1', 'Call-ID: x', 'CSeq: 1 INVITE', 'Content-Length: 0', '', ''].join(CRLF);
  const msg = ok(parseMessage(Buffer.from(text)));
  assert.ok(msg.kind === 'response' && msg.status === 100 && msg.reason === '');
});

test('RFC 3261 §7.3.1: folded header lines are joined with one space', () => {
  const msg = ok(parseMessage(invite(['Subject: first', '  second', '\tthird'])));
  assert.equal(msg.headers.find((h) => h.name === 'Subject')?.value, 'first second third');
});

test('RFC 3261 §7.5: CRLFs before the start line are ignored', () => {
  ok(parseMessage(Buffer.concat([Buffer.from('\r\n\r\n'), invite()])));
});

test('RFC 3261 §18.3: on a datagram, octets beyond Content-Length are discarded', () => {
  const msg = ok(parseMessage(Buffer.concat([invite([], 'abc'), Buffer.from('garbage')])));
  assert.equal(msg.body.toString(), 'abc');
});

test('RFC 3261 §18.3: Content-Length larger than the datagram body is refused with 400', () => {
  const result = refused(parseMessage(invite([], 'abc', { contentLength: '10' })));
  assert.equal(result.error.status, 400);
  assert.match(result.error.reason, /Content-Length 10 exceeds the 3 body bytes/);
  assert.ok(result.partial, 'a UAS can still answer');
});

test('RFC 3261 §18.3: a datagram without Content-Length takes the rest as body; a stream requires it', () => {
  assert.equal(ok(parseMessage(invite([], 'xyz', { contentLength: null }))).body.toString(), 'xyz');
  const result = refused(parseMessage(invite([], 'xyz', { contentLength: null }), { transport: 'stream' }));
  assert.match(result.error.reason, /missing Content-Length/);
});

test('RFC 3261 §8.2.2: CSeq method must match the request method', () => {
  const text = invite().toString().replace('CSeq: 314159 INVITE', 'CSeq: 314159 OPTIONS');
  const result = refused(parseMessage(Buffer.from(text)));
  assert.equal(result.error.status, 400);
  assert.equal(result.error.reason, 'Bad Request (CSeq method does not match request method)');
  assert.equal(result.error.header, 'CSeq');
  assert.ok(result.partial);
  assert.equal(cseq(result.partial).method, 'OPTIONS');
});

test('RFC 3261 §21.5.6: a SIP version other than 2.0 gets 505', () => {
  const result = refused(parseMessage(Buffer.from(invite().toString().replace(' SIP/2.0\r\n', ' SIP/7.0\r\n'))));
  assert.equal(result.error.status, 505);
  assert.ok(result.partial);
});

test('RFC 3261 §8.1.1: mandatory headers are required', () => {
  for (const name of ['Via', 'To', 'From', 'Call-ID', 'CSeq', 'Max-Forwards']) {
    const text = invite().toString().split(CRLF).filter((line) => !line.startsWith(`${name}:`)).join(CRLF);
    const result = refused(parseMessage(Buffer.from(text)));
    assert.equal(result.error.reason, `Bad Request (missing ${name} header)`, name);
  }
});

test('RFC 3261 §7.3.1: a single-valued header appearing twice is refused', () => {
  const result = refused(parseMessage(invite(['Call-ID: second@host'])));
  assert.equal(result.error.reason, 'Bad Request (Call-ID header appears more than once)');
});

test('RFC 3261 §20.22: Max-Forwards must be numeric', () => {
  const result = refused(parseMessage(Buffer.from(invite().toString().replace('Max-Forwards: 70', 'Max-Forwards: seventy'))));
  assert.match(result.error.reason, /Max-Forwards/);
});

test('limits: oversize messages get 513 with a partial message when the headers were readable', () => {
  const result = refused(parseMessage(invite([], 'x'.repeat(2000)), { maxMessageBytes: 1000 }));
  assert.equal(result.error.status, 513);
  assert.ok(result.partial);
  assert.equal(topVia(result.partial).params.get('branch'), 'z9hG4bK776asdhds');
  assert.equal(refused(parseMessage(invite(['X-A: 1', 'X-B: 2']), { maxHeaders: 8 })).error.status, 513);
  assert.equal(refused(parseMessage(invite(['X-Big: ' + 'y'.repeat(500)]), { maxHeaderBytes: 400 })).error.status, 513);
});

test('parseMessage never throws on garbage', () => {
  for (const text of ['', '\r\n', 'INVITE', 'SIP/2.0 abc OK\r\n\r\n', ':\r\n\r\n', 'INVITE sip:a@b SIP/2.0\r\n bad\r\n\r\n']) {
    const result = parseMessage(Buffer.from(text));
    assert.equal(result.ok, false, JSON.stringify(text));
  }
});

test('values checked in place in the header section are reported as if parsed on their own', () => {
  // Each case: a header line, and the value parser's own message for its value (the reason must quote that value alone).
  const cases: Array<[string, () => unknown]> = [
    ['Via: SIP/2.0/UDP pc33.atlanta.com;ttl=300', () => parseVia('SIP/2.0/UDP pc33.atlanta.com;ttl=300')],
    ['Contact: <sip:a@b;x=>, <sip:c@d>', () => parseNameAddr('<sip:a@b;x=>', 'Contact')],
    ['Contact: <sip:a@b>;;', () => parseNameAddr('<sip:a@b>;;', 'Contact')],
    ['Contact: <sip:a@[::1>', () => parseNameAddr('<sip:a@[::1>', 'Contact')],
  ];
  for (const [line, parse] of cases) {
    const viaFirst = line.startsWith('Via:');
    const wire = viaFirst ? invite([], '').toString().replace(/^Via: .*$/m, line) : invite([line]).toString();
    const result = refused(parseMessage(Buffer.from(wire)));
    assert.throws(parse, (error: unknown) => {
      assert.ok(error instanceof SipSyntaxError);
      assert.equal(result.error.reason, `Bad Request (${error.message})`, line);
      return true;
    });
  }
  // From/To are checked in place; the same value parsed on its own gives the same reason.
  const from = '"Alice <sip:alice@atlanta.com>;tag=1';
  const result = refused(parseMessage(Buffer.from(invite().toString().replace(/^From: .*$/m, `From: ${from}`))));
  assert.throws(() => parseNameAddr(from, 'From'), (error: unknown) => error instanceof SipSyntaxError && result.error.reason === `Bad Request (${error.message})`);
});
